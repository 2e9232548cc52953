package dev.crucible.api.auth;

import java.util.Locale;
import java.util.UUID;

/** The API key a request was made with, and where the request came from. */
public record Caller(UUID keyId, Role role, String clientAddress) {
    /** Bound by the HTTP edge for the duration of a route that needs a key, once its role is allowed there. */
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

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
