package dev.crucible.api.submission;

import dev.crucible.queue.ExecutionEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code submissions}, as stored: what was asked, and once completed, the executor's outcome.
 *
 * @param score   tests passed of tests run; null until completed, and when the job had no tests
 * @param outcome what the executor reported, as stored; null until completed. Its context's
 *                timestamps are the row's; in a listing, its outputs, tests and output files are empty
 */
record SubmissionRecord(
        UUID id,
        UUID apiKeyId,
        Status status,
        String runtime,
        Limits limits,
        Times times,
        Score score,
        ExecutionEvent.Outcome outcome) {

    /** What the submission asked for; what a run may take is the executor's to enforce. */
    record Limits(long wallTimeLimitMs, long memoryLimitMb) {}

    /**
     * When the submission moved along, on the database's clock but for {@code startedAt} (the executor's).
     *
     * @param queueWaitMs from creation to the executor's start; null until the submission started
     */
    record Times(Instant createdAt, Instant startedAt, Instant finishedAt, Long queueWaitMs) {}

    record Score(int passed, int total) {}

    boolean completed() {
        return status == Status.COMPLETED;
    }

    /** Completed or cancelled: nothing will change it any more. */
    boolean isFinal() {
        return status.isFinal();
    }
}
