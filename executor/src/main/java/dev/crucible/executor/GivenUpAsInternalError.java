package dev.crucible.executor;

import dev.crucible.queue.EventSink;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.GivenUpJobs;
import java.time.Clock;
import java.util.UUID;

/**
 * Ends each job the queue gave up on as {@code internal_error}, so that its submission does not wait
 * forever: the executors consume the jobs, so they, not the transport, make that verdict.
 */
final class GivenUpAsInternalError implements GivenUpJobs {
    /** The event's executor: no executor ran the job to its end, the queue gave it up. */
    static final String REPORTER = "queue";

    private final EventSink events;
    private final Clock clock;

    GivenUpAsInternalError(EventSink events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void givenUp(UUID submissionId, String reason) {
        events.publish(new ExecutionEvent.Finished(submissionId, REPORTER,
                ExecutionEvent.Outcome.internalError(reason, clock.instant())));
    }
}
