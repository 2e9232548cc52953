package dev.crucible.api.submission;

import dev.crucible.queue.ExecutionEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code submissions}, as stored. Result fields are null until the submission is completed.
 *
 * @param queueWaitMs from creation to the executor's start; null until the submission started
 * @param timings     the executor's stage timings; null until completed, and when the executor sent none
 * @param usage       what the program used; null until completed, with tests, and when not measured
 * @param runs        each run, when the program was run several times
 * @param outputFiles the output files asked for, once completed
 */
record SubmissionRecord(
        UUID id,
        UUID apiKeyId,
        Status status,
        String runtime,
        long wallTimeLimitMs,
        long memoryLimitMb,
        String verdict,
        Integer exitCode,
        String signal,
        byte[] stdout,
        Long stdoutTruncatedBytes,
        byte[] stderr,
        Long stderrTruncatedBytes,
        Long wallTimeMs,
        String message,
        byte[] compileOutput,
        List<ExecutionEvent.TestOutcome> tests,
        ExecutionEvent.Provenance provenance,
        Integer testsPassed,
        Integer testsTotal,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long queueWaitMs,
        ExecutionEvent.StageTimings timings,
        ExecutionEvent.Usage usage,
        List<ExecutionEvent.RunOutcome> runs,
        List<ExecutionEvent.OutputFile> outputFiles) {

    boolean completed() {
        return status == Status.COMPLETED;
    }

    /** Completed or cancelled: nothing will change it any more. */
    boolean isFinal() {
        return status.isFinal();
    }
}
