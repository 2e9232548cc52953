package dev.crucible.lifecycle;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM, as something a {@code Main} waits for. The JVM exits as soon as its shutdown hooks
 * return, so the hook holds it until {@link #close}: declared first in the Main's try-with-resources,
 * it is closed last, after the work in hand is finished and everything else is closed.
 */
public final class ShutdownSignal implements AutoCloseable {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private ShutdownSignal() {}

    public static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(signal::holdUntilClosed, "shutdown"));
        return signal;
    }

    void holdUntilClosed() {
        requested.countDown();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until shutdown is asked for. */
    public void await() throws InterruptedException {
        requested.await();
    }

    /** Waits at most {@code timeout}; returns whether shutdown was asked for. */
    public boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the JVM exit. */
    @Override
    public void close() {
        closed.countDown();
    }
}
