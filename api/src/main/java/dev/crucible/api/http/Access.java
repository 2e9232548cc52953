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
        return new Key(List.of(Caller.Role.values()), Optional.empty(), Optional.empty(), false);
    }

    /** A valid key of one of these roles; any other key is a 403. */
    static Key roles(Caller.Role first, Caller.Role... more) {
        return new Key(Stream.concat(Stream.of(first), Arrays.stream(more)).toList(), Optional.empty(), Optional.empty(), false);
    }

    record Public() implements Access {}

    /**
     * @param roles          in the order the 403 names them
     * @param anonymousKeyId the key a request without credentials is taken to be made with; empty:
     *                       such a request is a 401. Only for routes whose clients cannot send a key.
     * @param keyHeader      a header that may carry the bare key instead of {@code Authorization: Bearer},
     *                       for routes whose clients send it there (Judge0's {@code X-Auth-Token})
     * @param bareRefusals   whether a 401 or 403 here has an empty body, as the servers these routes
     *                       stand in for answer them, rather than a problem
     */
    record Key(List<Caller.Role> roles, Optional<UUID> anonymousKeyId, Optional<String> keyHeader, boolean bareRefusals)
            implements Access {
        public Key {
            roles = List.copyOf(roles);
        }

        /** The same roles, with requests without credentials made as {@code keyId}, when one is given. */
        public Key orAnonymousAs(Optional<UUID> keyId) {
            return new Key(roles, keyId, keyHeader, bareRefusals);
        }

        /** The same, with the key also taken bare from {@code header}; it wins over {@code Authorization} when both are sent. */
        public Key orKeyIn(String header) {
            return new Key(roles, anonymousKeyId, Optional.of(header), bareRefusals);
        }

        /** The same, answering a 401 or 403 with an empty body. */
        public Key refusedWithoutBody() {
            return new Key(roles, anonymousKeyId, keyHeader, true);
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
