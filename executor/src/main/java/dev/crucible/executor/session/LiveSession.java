package dev.crucible.executor.session;

import dev.crucible.executor.sandbox.SessionSandboxes;
import dev.crucible.queue.SessionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A session this executor holds: its sandbox and its deadlines. */
final class LiveSession {
    final UUID id;
    final SessionSandboxes.Held sandbox;
    final SessionRequest.Sandbox settings;
    private final Duration idleTimeout;
    private final Instant endsAt;
    /** Monotonic time of the last command's end, upload or keepalive. */
    private final AtomicLong lastActive;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();

    LiveSession(UUID id, SessionSandboxes.Held sandbox, SessionRequest.Sandbox settings, SessionRequest.Lifetime lifetime, long now) {
        this.id = id;
        this.sandbox = sandbox;
        this.settings = settings;
        this.idleTimeout = lifetime.idleTimeout();
        this.endsAt = lifetime.endsAt();
        this.lastActive = new AtomicLong(now);
    }

    void touch(long now) {
        lastActive.accumulateAndGet(now, Math::max);
    }

    void commandStarted() {
        running.incrementAndGet();
    }

    void commandEnded(long now) {
        touch(now);
        running.decrementAndGet();
    }

    /** Why the session is over at {@code wallNow} and monotonic {@code now}, or null: a running command keeps it from idling, never past its end. */
    String expiry(Instant wallNow, long now) {
        if (!wallNow.isBefore(endsAt)) {
            return "max_lifetime";
        }
        if (running.get() == 0 && now - lastActive.get() >= idleTimeout.toNanos()) {
            return "idle_timeout";
        }
        return null;
    }

    boolean ended() {
        return ended.get();
    }

    /** True for the one caller that ends it. */
    boolean markEnded() {
        return ended.compareAndSet(false, true);
    }
}
