package dev.crucible.api.http;

import dev.crucible.api.auth.Caller;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Who may call a route: declared when it is registered, checked by the {@link HttpEdge} before it runs. */
public sealed interface Access {
    /** Anyone, without a key. */
    Access PUBLIC = new Public();

    /** Any valid key, whatever its role. */
    static Access anyKey() {
        return new Key(List.of(Caller.Role.values()));
    }

    /** A valid key of one of these roles; any other key is a 403. */
    static Access roles(Caller.Role first, Caller.Role... more) {
        return new Key(Stream.concat(Stream.of(first), Arrays.stream(more)).toList());
    }

    record Public() implements Access {}

    /** @param roles in the order the 403 names them */
    record Key(List<Caller.Role> roles) implements Access {
        public Key {
            roles = List.copyOf(roles);
        }

        /** {@code caller}, if its role is allowed here; otherwise a 403 naming what is needed. */
        Caller admit(Caller caller) {
            if (roles.contains(caller.role())) {
                return caller;
            }
            throw new ApiException.Forbidden("a " + caller.role().value() + " key may not do this; it needs "
                    + String.join(" or ", roles.stream().map(Caller.Role::value).toList()));
        }
    }
}
