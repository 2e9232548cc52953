package dev.crucible.api.auth;

import java.util.UUID;

/** The API key a request was made with. */
public record Caller(UUID keyId, Role role) {
    /** Bound by the HTTP edge for the duration of a route that needs a key. */
    public static final ScopedValue<Caller> CURRENT = ScopedValue.newInstance();

    public enum Role { ADMIN, SUBMITTER, VIEWER }

    /** The caller of the route running on this thread. */
    public static Caller current() {
        return CURRENT.get();
    }
}
