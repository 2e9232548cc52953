package dev.crucible.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
     * The observed result of a job. Every figure comes from Docker or the executor, never from the
     * program. On the stream its parts are unwrapped into one flat object, as before they were parts.
     *
     * @param result        the verdict, and the figures of the run shown (of the first that failed, when
     *                      it ran several times); for tests, their summed wall time alone
     * @param output        what the run shown wrote; empty for compile errors, tests and internal errors
     * @param diagnostics   what went wrong, and what the compiler said
     * @param tests         each test's outcome, in order, when the job had tests; empty otherwise
     * @param runs          each run's figures, in order, when the program was run several times; empty otherwise
     * @param outputFiles   the files the job asked for, in the order asked, when it asked for any
     * @param context       when and on what the job ran, and where its time went
     * @param testCases     for a project, the test cases its reports list; empty otherwise, and absent on the stream then
     */
    record Outcome(
            @JsonUnwrapped ProgramResult result,
            @JsonUnwrapped Output output,
            @JsonUnwrapped Diagnostics diagnostics,
            List<TestOutcome> tests,
            List<ProgramResult> runs,
            List<OutputFile> outputFiles,
            @JsonUnwrapped Context context,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TestCaseOutcome> testCases) {

        public Outcome {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(diagnostics, "diagnostics");
            Objects.requireNonNull(context, "context");
            tests = tests == null ? List.of() : List.copyOf(tests);
            runs = runs == null ? List.of() : List.copyOf(runs);
            outputFiles = outputFiles == null ? List.of() : List.copyOf(outputFiles);
            testCases = testCases == null ? List.of() : List.copyOf(testCases);
        }

        /** An outcome of a job that is not a project. */
        public Outcome(ProgramResult result, Output output, Diagnostics diagnostics, List<TestOutcome> tests,
                       List<ProgramResult> runs, List<OutputFile> outputFiles, Context context) {
            this(result, output, diagnostics, tests, runs, outputFiles, context, List.of());
        }

        public static Outcome internalError(String message, Instant at) {
            return new Outcome(ProgramResult.judgedOnly(Verdict.INTERNAL_ERROR, null), Output.NONE, new Diagnostics(message, null),
                    List.of(), List.of(), List.of(), new Context(at, at, null, null));
        }

        public Verdict verdict() {
            return result.verdict();
        }

        /** The same outcome, with what it ran on and how long its sandboxes took. */
        public Outcome ranOn(Provenance provenance, StageTimings timings) {
            return new Outcome(result, output, diagnostics, tests, runs, outputFiles,
                    new Context(context.startedAt(), context.finishedAt(), provenance, timings), testCases);
        }
    }

    /**
     * How one run of the program ended, and what it used.
     *
     * @param exitCode   null when the sandbox was killed for a limit
     * @param signal     e.g. {@code SIGKILL}, when the exit status is 128 + a signal number
     * @param wallTimeMs from the program's start to its observed exit, on the executor's monotonic clock
     * @param usage      what the program used; null when it did not run or was not measured (and, for a
     *                   job's own result, when it had tests: each test has its own)
     */
    record ProgramResult(Verdict verdict, Integer exitCode, String signal, Long wallTimeMs, Usage usage) {
        /** A verdict without a run of its own to show: a compile error, tests, an internal error. */
        public static ProgramResult judgedOnly(Verdict verdict, Long wallTimeMs) {
            return new ProgramResult(verdict, null, null, wallTimeMs, null);
        }

        public ProgramResult withVerdict(Verdict other) {
            return new ProgramResult(other, exitCode, signal, wallTimeMs, usage);
        }
    }

    /** The first bytes of a run's stdout and stderr, and how many bytes after them were dropped. */
    record Output(byte[] stdout, long stdoutTruncatedBytes, byte[] stderr, long stderrTruncatedBytes) {
        public static final Output NONE = new Output(new byte[0], 0, new byte[0], 0);
    }

    /**
     * What was said of a job besides its program's output: Crucible's message, and the compiler's.
     *
     * @param message       for {@link Verdict#INTERNAL_ERROR} and {@link Verdict#COMPILE_ERROR}, what went wrong
     * @param compileOutput what the compiler said, for compiled languages; null otherwise
     */
    record Diagnostics(String message, byte[] compileOutput) {
        public static final Diagnostics NONE = new Diagnostics(null, null);
    }

    /**
     * When and on what a job ran.
     *
     * @param timings how long the job's sandboxes took; null when it failed before one finished, and in
     *                events of executors older than timings
     */
    record Context(Instant startedAt, Instant finishedAt, Provenance provenance, StageTimings timings) {
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
     * @param pool       {@code hit} when every sandbox that ran the program came started from the pool,
     *                   {@code miss} when one was started for the run; null when none ran it
     */
    record StageTimings(Long compileMs, Long createMs, Long startMs, Long runMs, Long teardownMs, String pool) {
    }

    /**
     * What a run ran on, as the executor knows it.
     *
     * @param runtimeImage the runtime and the image it ran in, unwrapped into the provenance's JSON as before
     * @param sandbox      the sandbox runtime and its version
     * @param filesSha256  SHA-256 over the submitted files: each path, NUL, length, NUL, bytes, in order
     * @param limits       the job's limits, unwrapped into the provenance's JSON as before
     * @param packages     the image's Debian packages as its build recorded them, {@code name=version}; empty
     *                     for an image built before they were, and absent from the JSON then
     */
    record Provenance(@JsonUnwrapped RuntimeImage runtimeImage, String sandbox, String executor, String filesSha256,
                      @JsonUnwrapped Limits limits, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> packages) {
        public Provenance {
            Objects.requireNonNull(runtimeImage, "runtimeImage");
            packages = packages == null ? List.of() : List.copyOf(packages);
        }
    }

    /**
     * The runtime a job ran, and the image it came in.
     *
     * @param image   the image's tag
     * @param imageId the image's content digest, as Docker reported it for the run
     */
    record RuntimeImage(String runtime, String runtimeVersion, String image, String imageId) {
    }

    /**
     * The limits a job ran under; apart from what it used, hence their names. Stored and sent under
     * their older names, {@code wallTimeMs} and {@code memoryMb}.
     */
    record Limits(@JsonProperty("wallTimeMs") long wallTimeLimitMs, @JsonProperty("memoryMb") long memoryLimitMb) {
    }

    /**
     * One test case of a project's test suite, as its test runner reported it in a JUnit XML report.
     * Everything here was written inside the sandbox: it is the program's word, bounded in size.
     *
     * @param classname the class or module the case belongs to; null when the report names none
     * @param timeMs    the time the report gives the case; null when it gives none
     * @param message   for a failed, erroneous or skipped case, what the report says of it (at most 4 KiB); null otherwise
     */
    record TestCaseOutcome(String name, String classname, TestCaseStatus status, Long timeMs, String message) {
        public TestCaseOutcome {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
        }
    }

    /** How a test case ended, by its report. */
    enum TestCaseStatus {
        PASSED, FAILED, ERROR, SKIPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One test's run: its verdict ({@link Verdict#WRONG_ANSWER} when it ran fine but printed otherwise). */
    record TestOutcome(String name, @JsonUnwrapped ProgramResult result, @JsonUnwrapped Output output) {
    }
}
