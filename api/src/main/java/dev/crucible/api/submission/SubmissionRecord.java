package dev.crucible.api.submission;

import dev.crucible.queue.ExecutionEvent;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.Nested;
import org.jdbi.v3.core.mapper.PropagateNull;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * One row of {@code submissions}, as stored: what was asked, and once completed, the executor's outcome.
 * Mapped by Jdbi's {@code ConstructorMapper}: each component, or nested component, is the column of its
 * name in snake case, unless it says otherwise.
 *
 * @param score   tests passed of tests run (a project's test cases passed of those not skipped); null until
 *                completed, and when the job had neither
 * @param outcome what the executor reported, as stored ({@link StoredOutcome}); null until completed. Its
 *                context's timestamps are the row's; in a listing, its outputs, tests and output files are empty
 */
record SubmissionRecord(
        UUID id,
        UUID apiKeyId,
        Status status,
        String runtime,
        @Nested Limits limits,
        @Nested Times times,
        @Nested Score score,
        @ColumnName("verdict") ExecutionEvent.Outcome outcome) {

    /** What the submission asked for; what a run may take is the executor's to enforce. */
    record Limits(long wallTimeLimitMs, long memoryLimitMb) {}

    /**
     * When the submission moved along, on the database's clock but for {@code startedAt} (the executor's).
     *
     * @param queueWaitMs from creation to the executor's start; null until the submission started
     * @param purgedAt    when its content was erased ({@link SubmissionPurge}); null while it is kept
     */
    record Times(Instant createdAt, Instant startedAt, Instant finishedAt, Long queueWaitMs, Instant purgedAt) {}

    /** The row has none when {@code tests_total} is null. */
    record Score(@ColumnName("tests_passed") int passed, @ColumnName("tests_total") @PropagateNull Integer total) {}

    boolean completed() {
        return status == Status.COMPLETED;
    }

    /** Completed or cancelled: nothing will change it any more. */
    boolean isFinal() {
        return status.isFinal();
    }
}
