package dev.crucible.api.system;

import dev.crucible.queue.QueueObserver;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts the event stream's reclaims and dead letters; named as the executor names those of the job stream. */
public final class QueueCounters implements QueueObserver {
    private final MeterRegistry meters;

    public QueueCounters(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void reclaimed(String stream, int entries) {
        meters.counter("crucible_queue_reclaims", "stream", stream).increment(entries);
    }

    @Override
    public void deadLettered(String stream) {
        meters.counter("crucible_queue_dead_letters", "stream", stream).increment();
    }
}
