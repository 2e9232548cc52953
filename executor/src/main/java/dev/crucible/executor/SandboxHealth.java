package dev.crucible.executor;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's circuit breaker on its sandbox host. Closed while Docker answers; a machinery
 * failure opens it, and then no slot takes a job while a probe pings Docker every
 * {@link #PROBE_EVERY} until it answers again, which closes it. Heartbeats carry its state, so that
 * the api's readiness tells live executors from healthy ones.
 */
final class SandboxHealth implements JobRunner.Recovery, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SandboxHealth.class);
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    /** One round trip to the sandbox host; throws when it does not answer within its own timeout. */
    @FunctionalInterface
    interface Probe {
        void ping();
    }

    private final Probe probe;
    private final Runnable onRecovery;
    private final Object lock = new Object();
    private boolean healthy = true;
    private boolean closed;
    private Thread prober;

    /** @param onRecovery run once Docker answers again, before any slot takes a job: e.g. dropping sandboxes the outage killed */
    SandboxHealth(Probe probe, Runnable onRecovery) {
        this.probe = probe;
        this.onRecovery = onRecovery;
    }

    boolean healthy() {
        synchronized (lock) {
            return healthy;
        }
    }

    /** Opens the breaker after a failure of the machinery, unless it is open already. */
    void failed(String failure) {
        synchronized (lock) {
            if (!healthy || closed) {
                return;
            }
            healthy = false;
            log.warn("the sandbox host failed, taking no jobs until Docker answers again: {}", failure);
            prober = Thread.ofVirtual().name("sandbox-health-probe").start(this::probeUntilHealthy);
        }
    }

    @Override
    public boolean awaitRecovery(String failure, Duration limit) throws InterruptedException {
        failed(failure);
        return awaitHealthy(limit);
    }

    /** Waits up to {@code limit} for the breaker to close; returns whether it is closed. */
    boolean awaitHealthy(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (!healthy && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return healthy;
        }
    }

    private void probeUntilHealthy() {
        long since = System.nanoTime();
        while (true) {
            try {
                probe.ping();
                onRecovery.run();
                synchronized (lock) {
                    healthy = true;
                    lock.notifyAll();
                }
                log.info("the sandbox host answers again after {} ms; taking jobs", (System.nanoTime() - since) / 1_000_000);
                return;
            } catch (RuntimeException stillDown) {
                synchronized (lock) {
                    try {
                        if (closed) {
                            return;
                        }
                        lock.wait(PROBE_EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            running = prober;
        }
        if (running != null) {
            running.interrupt();
        }
    }
}
