package dev.crucible.queue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What an executor reports about a submission, in order: {@link Started}, then {@link Finished}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExecutionEvent.Started.class, name = "started"),
    @JsonSubTypes.Type(value = ExecutionEvent.Finished.class, name = "finished")
})
public sealed interface ExecutionEvent {
    UUID submissionId();

    /** An executor took the job and is about to start its sandbox. */
    record Started(UUID submissionId, String executor, Instant at) implements ExecutionEvent {}

    /** The run is over; {@code outcome} is final. */
    record Finished(UUID submissionId, String executor, Outcome outcome) implements ExecutionEvent {}

    /**
     * The observed result of one run. Every figure comes from Docker or the executor, never from the program.
     *
     * @param exitCode  null when the sandbox was killed for a limit
     * @param signal    e.g. {@code SIGKILL}, when the exit status is 128 + a signal number
     * @param message   for {@link Verdict#INTERNAL_ERROR}, what went wrong
     * @param compileOutput what the compiler said, for compiled languages; null otherwise
     * @param tests     each test's outcome, in order, when the job had tests; empty otherwise
     * @param timings   how long the job's sandboxes took; null when it failed before one finished, and in
     *                  events of executors older than timings
     */
    record Outcome(
            Verdict verdict,
            Integer exitCode,
            String signal,
            byte[] stdout,
            long stdoutTruncatedBytes,
            byte[] stderr,
            long stderrTruncatedBytes,
            Long wallTimeMs,
            Instant startedAt,
            Instant finishedAt,
            String message,
            byte[] compileOutput,
            List<TestOutcome> tests,
            Provenance provenance,
            StageTimings timings) {

        public Outcome {
            tests = tests == null ? List.of() : List.copyOf(tests);
        }

        public static Outcome internalError(String message, Instant at) {
            return new Outcome(Verdict.INTERNAL_ERROR, null, null, new byte[0], 0, new byte[0], 0, null, at, at, message, null,
                    List.of(), null, null);
        }

        public Outcome withCompileOutput(byte[] output) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, output, tests, provenance, timings);
        }

        public Outcome withProvenance(Provenance what) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, compileOutput, tests, what, timings);
        }

        public Outcome withTimings(StageTimings what) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, compileOutput, tests, provenance, what);
        }
    }

    /**
     * Where a job's time on the executor went, in milliseconds of the executor's monotonic clock.
     *
     * @param compileMs  the whole compile sandbox, create to removal; null for interpreted languages
     * @param createMs   creating the sandboxes that ran the program (one, or one per test) and copying files in
     * @param startMs    attaching to and starting those sandboxes
     * @param runMs      from their start to their observed exit, kills at a limit included
     * @param teardownMs draining their output, inspecting and removing them
     */
    record StageTimings(Long compileMs, Long createMs, Long startMs, Long runMs, Long teardownMs) {
    }

    /**
     * What a run ran on, as the executor knows it.
     *
     * @param imageId     the image's content digest, as Docker reported it for the run
     * @param sandbox     the sandbox runtime and its version
     * @param filesSha256 SHA-256 over the submitted files: each path, NUL, length, NUL, bytes, in order
     */
    record Provenance(String runtime, String runtimeVersion, String image, String imageId, String sandbox,
                      String executor, String filesSha256, long wallTimeMs, long memoryMb) {
    }

    /** One test's run: its verdict ({@link Verdict#WRONG_ANSWER} when it ran fine but printed otherwise). */
    record TestOutcome(
            String name,
            Verdict verdict,
            Integer exitCode,
            String signal,
            byte[] stdout,
            long stdoutTruncatedBytes,
            byte[] stderr,
            long stderrTruncatedBytes,
            Long wallTimeMs) {
    }
}
