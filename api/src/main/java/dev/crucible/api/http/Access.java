package dev.crucible.api.http;

import dev.crucible.api.auth.Caller;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Who may call a route: declared when it is registered, checked by the {@link HttpEdge} before it runs. */
public sealed interface Access {
    /** Anyone, without a key. */
    Access PUBLIC = new Public();

    /** Any valid key, whatever its role. */
    static Key anyKey() {
        return new Key(List.of(Caller.Role.values()), Optional.empty());
    }

    /** A valid key of one of these roles; any other key is a 403. */
    static Key roles(Caller.Role first, Caller.Role... more) {
        return new Key(Stream.concat(Stream.of(first), Arrays.stream(more)).toList(), Optional.empty());
    }

    record Public() implements Access {}

    /**
     * @param roles          in the order the 403 names them
     * @param anonymousKeyId the key a request without credentials is taken to be made with; empty:
     *                       such a request is a 401. Only for routes whose clients cannot send a key.
     */
    record Key(List<Caller.Role> roles, Optional<UUID> anonymousKeyId) implements Access {
        public Key {
            roles = List.copyOf(roles);
        }

        /** The same roles, with requests without credentials made as {@code keyId}, when one is given. */
        public Key orAnonymousAs(Optional<UUID> keyId) {
            return new Key(roles, keyId);
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
