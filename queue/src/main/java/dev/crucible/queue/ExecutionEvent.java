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
     * @param usage     what the program used (of the run shown, when it ran several times); null when it
     *                  did not run, had tests (each test has its own), or when an older executor sent none
     * @param runs      each run's figures, in order, when the program was run several times; empty otherwise
     * @param outputFiles the files the job asked for, in the order asked, when it asked for any
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
            StageTimings timings,
            Usage usage,
            List<RunOutcome> runs,
            List<OutputFile> outputFiles) {

        public Outcome {
            tests = tests == null ? List.of() : List.copyOf(tests);
            runs = runs == null ? List.of() : List.copyOf(runs);
            outputFiles = outputFiles == null ? List.of() : List.copyOf(outputFiles);
        }

        public static Outcome internalError(String message, Instant at) {
            return new Outcome(Verdict.INTERNAL_ERROR, null, null, new byte[0], 0, new byte[0], 0, null, at, at, message, null,
                    List.of(), null, null, null, List.of(), List.of());
        }

        public Outcome withCompileOutput(byte[] output) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, output, tests, provenance, timings, usage, runs, outputFiles);
        }

        public Outcome withProvenance(Provenance what) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, compileOutput, tests, what, timings, usage, runs, outputFiles);
        }

        public Outcome withTimings(StageTimings what) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, compileOutput, tests, provenance, what, usage, runs, outputFiles);
        }

        public Outcome withRuns(List<RunOutcome> what) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, compileOutput, tests, provenance, timings, usage, what, outputFiles);
        }

        public Outcome withOutputFiles(List<OutputFile> what) {
            return new Outcome(verdict, exitCode, signal, stdout, stdoutTruncatedBytes, stderr, stderrTruncatedBytes,
                    wallTimeMs, startedAt, finishedAt, message, compileOutput, tests, provenance, timings, usage, runs, what);
        }
    }

    /**
     * What a program used, read from its sandbox's cgroup on the host.
     *
     * @param cpuTimeMs    CPU time of the program and of gVisor serving it; null when the host killed the
     *                     sandbox for memory before it could be read
     * @param peakMemoryKb the sandbox's peak memory above its memory at rest before the program started
     */
    record Usage(Long cpuTimeMs, long peakMemoryKb) {
    }

    /** One of the runs of a program run several times: each in a fresh sandbox, with the same input. */
    record RunOutcome(Verdict verdict, Integer exitCode, String signal, Long wallTimeMs, Usage usage) {
    }

    /**
     * A file the job asked for, as the program left it.
     *
     * @param content null when there was no regular file of at most the allowed size at {@code path}
     */
    record OutputFile(String path, byte[] content) {
    }

    /**
     * Where a job's time on the executor went, in milliseconds of the executor's monotonic clock.
     *
     * @param compileMs  the whole compile sandbox, create to removal; null for interpreted languages
     * @param createMs   creating the sandboxes that ran the program (one, or one per test) and copying files in
     * @param startMs    starting those sandboxes and reading what they use at rest
     * @param runMs      from the programs' start to their observed exit, kills at a limit included
     * @param teardownMs reading exit status and usage, collecting output files, removing the sandboxes
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
            Long wallTimeMs,
            Usage usage) {
    }
}
