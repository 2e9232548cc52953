package dev.crucible.api.submission;

import dev.crucible.api.runtime.RuntimePackages;
import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.EventSource;
import dev.crucible.queue.ExecutionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Stores what executors report. An event is acknowledged only once it is stored; storing is
 * idempotent, so an event seen twice (after a crash between the two) changes nothing.
 */
public final class EventConsumer {
    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final EventSource events;
    private final SubmissionStore store;
    private final ChangeSignals signals;
    private final MeterRegistry meters;
    private final RuntimePackages packages;
    private final Timer queueWait;
    private final Loop loop = new Loop("event-consumer", Loop.Pacing.continuously(RETRY), this::takeEvents,
            e -> log.error("cannot read events, retrying in {}: {}", RETRY, e.getMessage()));

    public EventConsumer(EventSource events, SubmissionStore store, ChangeSignals signals, MeterRegistry meters,
                         RuntimePackages packages) {
        this.events = events;
        this.packages = packages;
        this.store = store;
        this.signals = signals;
        this.meters = meters;
        this.queueWait = Timer.builder("crucible_queue_wait")
                .description("From a submission's creation to its executor's start")
                .publishPercentileHistogram()
                .register(meters);
    }

    public void start() {
        loop.start();
    }

    private void takeEvents() throws InterruptedException {
        for (EventSource.EventDelivery delivery : events.take(32, POLL)) {
            storeUntilDone(delivery);
        }
    }

    /** Retries one event until it is stored and acknowledged; the events after it wait, in order. */
    private void storeUntilDone(EventSource.EventDelivery delivery) throws InterruptedException {
        try (var _ = MDC.putCloseable("submission", delivery.event().submissionId().toString())) {
            while (loop.running()) {
                try {
                    apply(delivery.event());
                    events.acknowledge(delivery);
                    return;
                } catch (RuntimeException e) {
                    log.error("cannot store event {} of submission {}, retrying in {}: {}", delivery.entryId(),
                            delivery.event().submissionId(), RETRY, e.getMessage());
                    loop.pause(RETRY);
                }
            }
        }
    }

    private void apply(ExecutionEvent event) {
        switch (event) {
            case ExecutionEvent.Started started -> {
                store.markStarted(started).ifPresent(queueWait::record);
                signals.changed(started.submissionId());
            }
            case ExecutionEvent.Finished finished -> {
                if (store.markFinished(finished)) {
                    log.info("submission {} completed: {}", finished.submissionId(), finished.outcome().verdict());
                    meters.counter("crucible_submissions_completed",
                            "verdict", finished.outcome().verdict().wireName()).increment();
                    try {
                        packages.reported(finished.outcome().context().provenance());
                    } catch (RuntimeException e) {
                        // Only GET /v1/runtimes' versions wait for the next run: the result is stored.
                        log.warn("the package versions of submission {}'s runtime are not noted: {}", finished.submissionId(), e.getMessage());
                    }
                }
                signals.changed(finished.submissionId());
            }
        }
    }

    public boolean stop(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }
}
