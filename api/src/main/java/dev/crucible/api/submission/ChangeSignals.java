package dev.crucible.api.submission;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Wakes requests that wait on a submission ({@code ?wait=true}, event streams) when this process
 * stores a change to it. Another api instance's changes never arrive here, so waiters re-read the
 * row on a timer as well.
 */
public final class ChangeSignals {
    private final ConcurrentMap<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Completes at the next change of {@code id}; take it before reading the row, so no change falls between. */
    CompletableFuture<Void> next(UUID id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void changed(UUID id) {
        CompletableFuture<Void> signal = waiting.remove(id);
        if (signal != null) {
            signal.complete(null);
        }
    }
}
