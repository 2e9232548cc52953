package dev.crucible.api.submission;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Wakes requests waiting ({@code ?wait=true}) for a submission when this process stores its result. */
public final class CompletionSignals {
    private final ConcurrentMap<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<Void> watch(UUID id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void forget(UUID id) {
        waiting.remove(id);
    }

    void completed(UUID id) {
        CompletableFuture<Void> signal = waiting.remove(id);
        if (signal != null) {
            signal.complete(null);
        }
    }
}
