package dev.crucible.api.submission;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Wakes requests that wait on a submission or a session's command ({@code ?wait=true}, event streams) when this process
 * stores a change to it. Another api instance's changes never arrive here, so waiters re-read the
 * row on a timer as well.
 */
public final class ChangeSignals {
    /** How long a waiter waits for a signal before it re-reads the row anyway. */
    public static final Duration RECHECK = Duration.ofSeconds(1);

    private final ConcurrentMap<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Completes at the next change of {@code id}; take it before reading the row, so no change falls between. */
    public CompletableFuture<Void> next(UUID id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    public void changed(UUID id) {
        CompletableFuture<Void> signal = waiting.remove(id);
        if (signal != null) {
            signal.complete(null);
        }
    }

    /**
     * What {@code read} gives once {@code done} holds of it, or when {@code limit} has passed: read again at
     * each change of {@code id} stored here, and every {@link #RECHECK} for those stored elsewhere. Take
     * {@code first} from {@link #next} before asking for the change waited on, so that none falls between.
     */
    public <T> T awaitUntil(UUID id, CompletableFuture<Void> first, Duration limit, Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        CompletableFuture<Void> changed = first;
        T current = read.get();
        while (!done.test(current)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !await(changed, Duration.ofNanos(Math.min(left, RECHECK.toNanos())))) {
                return current;
            }
            changed = next(id);
            current = read.get();
        }
        return current;
    }

    /**
     * Waits for {@code change} (from {@link #next}) up to {@code limit}, whichever comes first; false
     * only when the thread was interrupted, whose flag is then set again.
     */
    public static boolean await(CompletableFuture<Void> change, Duration limit) {
        try {
            change.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException recheck) {
            // the caller reads the row again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a change signal failed", e);
        }
        return true;
    }
}
