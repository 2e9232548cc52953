package dev.crucible.executor.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import dev.crucible.lifecycle.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes used sandboxes off the run's critical path: the result goes out first. Bounded, so that
 * removals cannot pile up: when {@link #QUEUED} wait already, the caller removes its own (back-pressure).
 * A removal Docker failed is tried again every {@link #RETRY_EVERY}, and at once when asked (Docker
 * answering again after an outage): without it, a dockerd restart left its stopped sandboxes for good.
 */
final class Remover implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Remover.class);
    static final int QUEUED = 32;
    private static final int WORKERS = 2;
    private static final Duration POLL = Duration.ofMillis(500);
    static final Duration RETRY_EVERY = Duration.ofSeconds(30);

    private final Consumer<String> removal;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Loop[] workers = new Loop[WORKERS];
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Loop retries;

    /** @param removal removes one sandbox by id; it logs its own failures and never throws */
    Remover(Consumer<String> removal) {
        this.removal = removal;
        for (int i = 0; i < WORKERS; i++) {
            workers[i] = new Loop("sandbox-remover-" + i, Loop.Pacing.continuously(POLL), this::removeNext,
                    e -> log.error("a sandbox removal failed; the executor's start-up sweep removes leftovers", e));
            workers[i].start();
        }
        retries = new Loop("sandbox-remover-retries", Loop.Pacing.every(RETRY_EVERY), this::retryNow,
                e -> log.error("retrying failed sandbox removals failed", e));
        retries.start();
    }

    /** Sandbox {@code id} could not be removed: it is tried again later. */
    void retryLater(String id) {
        failed.add(id);
    }

    /** Tries each failed removal once more, here; one that fails again is kept for later. */
    void retryNow() {
        for (String id : List.copyOf(failed)) {
            failed.remove(id);
            removal.accept(id);
        }
    }

    /** Sandboxes whose removal failed and waits to be tried again. */
    int failedRemovals() {
        return failed.size();
    }

    /** Removes sandbox {@code id} soon, or now when the queue is full. */
    void remove(String id) {
        if (!queue.offer(id)) {
            removal.accept(id);
        }
    }

    /** Sandboxes queued for removal that are not removed yet. */
    int pending() {
        return queue.size();
    }

    private void removeNext() throws InterruptedException {
        String id = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (id != null) {
            removal.accept(id);
        }
    }

    /** Stops the workers and removes what is still queued, here. */
    @Override
    public void close() throws InterruptedException {
        retries.stop(Duration.ofSeconds(10));
        for (Loop worker : workers) {
            worker.stop(Duration.ZERO);
        }
        for (Loop worker : workers) {
            worker.stop(Duration.ofSeconds(10));
        }
        for (String id; (id = queue.poll()) != null; ) {
            removal.accept(id);
        }
    }
}
