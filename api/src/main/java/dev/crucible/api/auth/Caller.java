package dev.crucible.api.auth;

import dev.crucible.api.http.ApiException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** The API key a request was made with, and where the request came from. */
public record Caller(UUID keyId, Role role, String clientAddress) {
    /** Bound by the HTTP edge for the duration of a route that needs a key. */
    public static final ScopedValue<Caller> CURRENT = ScopedValue.newInstance();

    public enum Role {
        ADMIN, SUBMITTER, VIEWER;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The caller of the route running on this thread. */
    public static Caller current() {
        return CURRENT.get();
    }

    /** The caller of this thread, if its role is one of {@code allowed}; otherwise a 403. */
    public static Caller requiring(Role... allowed) {
        Caller caller = current();
        if (Arrays.asList(allowed).contains(caller.role())) {
            return caller;
        }
        throw new ApiException.Forbidden("a " + caller.role().value() + " key may not do this; it needs "
                + String.join(" or ", Arrays.stream(allowed).map(Role::value).toList()));
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
