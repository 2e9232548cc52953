package dev.crucible.queue;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the queue did on its own, counted by stream: entries reclaimed from dead consumers, and entries
 * dead-lettered. One definition of the names for both processes (the api's event stream, the
 * executor's job stream).
 */
public final class QueueMeters implements QueueObserver {
    private final MeterRegistry registry;

    public QueueMeters(MeterRegistry registry) {
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
