package dev.crucible.executor;

import dev.crucible.queue.QueueObserver;
import io.micrometer.core.instrument.MeterRegistry;

/** What the queue did on its own, counted: jobs this executor reclaimed from dead ones, and dead-lettered. */
final class QueueMetrics implements QueueObserver {
    private final MeterRegistry registry;

    QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void reclaimed(String stream, int entries) {
        registry.counter("crucible_queue_reclaims", "stream", stream).increment(entries);
    }

    @Override
    public void deadLettered(String stream) {
        registry.counter("crucible_queue_dead_letters", "stream", stream).increment();
    }
}
