package dev.crucible.sdk;

import java.time.Duration;

/** Waits that double from {@code first} up to {@code longest}, for polls and reconnects. Not thread-safe: one per loop. */
final class Backoff {
    private final Duration first;
    private final Duration longest;
    private Duration next;

    Backoff(Duration first, Duration longest) {
        this.first = first;
        this.longest = longest;
        this.next = first;
    }

    Duration next() {
        Duration now = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(longest) > 0 ? longest : doubled;
        return now;
    }

    /** After progress: the next wait is the first again. */
    void reset() {
        next = first;
    }

    /** Sleeps the next wait, but not past {@code deadlineNanos} (System.nanoTime). */
    void sleep(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        long wait = Math.min(next().toNanos(), left);
        if (wait <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrucibleException("interrupted while waiting for Crucible", e);
        }
    }
}
