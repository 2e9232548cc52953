package dev.crucible.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, where a test waits for the stack to get somewhere: never a bare sleep. */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(100);

    private Await() {}

    /** Polls {@code condition} every 100 ms until it holds; fails the test with {@code what} when it does not in time. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + limit + " for " + what);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
