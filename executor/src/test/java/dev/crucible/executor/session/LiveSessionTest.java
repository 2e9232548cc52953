package dev.crucible.executor.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.sandbox.SessionSandboxes;
import dev.crucible.queue.SessionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LiveSessionTest {
    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    private static LiveSession session() {
        return new LiveSession(UUID.randomUUID(), new SessionSandboxes.Held("id", "crucible-session-x"),
                new SessionRequest.Sandbox("image", 256 << 20, Duration.ofSeconds(30)),
                new SessionRequest.Lifetime(Duration.ofSeconds(2), START.plusSeconds(10)), 0);
    }

    @Test
    void endsAtItsIdleDeadline() {
        LiveSession session = session();
        assertNull(session.expiry(START.plusSeconds(1), SECOND));
        assertEquals("idle_timeout", session.expiry(START.plusSeconds(2), 2 * SECOND));
    }

    @Test
    void activityPushesTheIdleDeadlineBack() {
        LiveSession session = session();
        session.touch(SECOND);
        assertNull(session.expiry(START.plusSeconds(2), 2 * SECOND));
        assertEquals("idle_timeout", session.expiry(START.plusSeconds(3), 3 * SECOND));
    }

    @Test
    void aRunningCommandKeepsItFromIdlingButNotPastItsLifetime() {
        LiveSession session = session();
        session.commandStarted();
        assertNull(session.expiry(START.plusSeconds(9), 9 * SECOND));
        assertEquals("max_lifetime", session.expiry(START.plusSeconds(10), 10 * SECOND));
    }

    @Test
    void isEndedOnce() {
        LiveSession session = session();
        assertTrue(session.markEnded());
        assertFalse(session.markEnded());
    }
}
