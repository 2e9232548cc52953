package dev.crucible.api.auth;

import java.util.UUID;

/**
 * Whether a key that authenticated a request still holds: a request that waits (a {@code ?wait=true}
 * submission, an event stream) asks again as it waits, so that revoking the key ends it.
 */
@FunctionalInterface
public interface KeyValidity {
    boolean holds(UUID keyId);
}
