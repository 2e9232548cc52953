package dev.crucible.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything an executor needs to run one submission. It carries the files themselves because
 * executors have no database access. Its parts are unwrapped on the job stream, which carries one flat
 * JSON object (JobCodecTest holds its shape).
 *
 * @param runtime the runtime's canonical name; the executor resolves it in its own catalog
 * @param code    the program's files and its entry file
 * @param input   what the program is given
 * @param testing the test cases, if any, and how their output is compared
 * @param options how the program runs and what is kept of it
 */
public record Job(UUID submissionId, String runtime, @JsonUnwrapped Code code, @JsonUnwrapped Input input,
                  JobLimits limits, @JsonUnwrapped Testing testing, @JsonUnwrapped RunOptions options) {
    public Job {
        // A job can come from Redis, written by anything: refuse an incomplete one at decoding.
        Objects.requireNonNull(submissionId, "submissionId");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(limits, "limits");
        testing = testing == null ? Testing.NONE : testing;
        options = options == null ? RunOptions.ONCE : options;
    }

    /**
     * @param files          the program's files; none for a project, whose archive holds them
     * @param entryFile      the path, among {@code files}, that the runtime's run command runs; null for a project
     * @param compileOptions added after the runtime's compile command, each one the runtime's manifest
     *                       allows; absent on the stream when there are none, as before they existed
     * @param project        a whole project run by its own test command instead; absent on the stream otherwise
     */
    public record Code(List<JobFile> files, String entryFile,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> compileOptions,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Project project) {
        public Code {
            files = files == null ? List.of() : List.copyOf(files);
            compileOptions = compileOptions == null ? List.of() : List.copyOf(compileOptions);
            if (project == null) {
                Objects.requireNonNull(entryFile, "entryFile");
            } else if (!files.isEmpty() || entryFile != null || !compileOptions.isEmpty()) {
                throw new IllegalArgumentException("a project's code is its archive alone");
            }
        }

        public Code(List<JobFile> files, String entryFile, List<String> compileOptions) {
            this(files, entryFile, compileOptions, null);
        }

        public Code(List<JobFile> files, String entryFile) {
            this(files, entryFile, List.of(), null);
        }

        /** A project's code: its archive, unpacked in the sandbox. */
        public static Code of(Project project) {
            return new Code(List.of(), null, List.of(), Objects.requireNonNull(project, "project"));
        }
    }

    /**
     * A whole project, graded by its own test suite.
     *
     * @param archive     the project as the client sent it (.tar.gz, .tar or .zip); the api has checked
     *                    it, and the executor checks it again as it unpacks it
     * @param testCommand argv run in the work folder instead of the runtime's run command
     * @param reportPaths where the JUnit XML reports are: paths relative to the work folder, each part a
     *                    shell pattern
     */
    public record Project(byte[] archive, List<String> testCommand, List<String> reportPaths) {
        public Project {
            Objects.requireNonNull(archive, "archive");
            testCommand = List.copyOf(testCommand);
            reportPaths = List.copyOf(reportPaths);
            if (testCommand.isEmpty()) {
                throw new IllegalArgumentException("a project needs a test command");
            }
        }
    }

    /**
     * @param stdin the bytes given on standard input
     * @param args  argv handed to the program after the runtime's run command, never through a shell
     */
    public record Input(byte[] stdin, List<String> args) {
        public Input {
            Objects.requireNonNull(stdin, "stdin");
            args = List.copyOf(args);
        }
    }

    /** The test cases (none: the program just runs) and how each one's stdout is compared. */
    public record Testing(List<JobTest> tests, Comparison comparison) {
        public static final Testing NONE = new Testing(List.of(), null);

        public Testing {
            tests = tests == null ? List.of() : List.copyOf(tests);
            comparison = comparison == null ? Comparison.TRAILING_WHITESPACE : comparison;
        }
    }

    /**
     * @param mergeStderr whether stderr goes into stdout, as one stream
     * @param runs        how often the program runs, each time in a fresh sandbox (1 when absent); never with tests
     * @param outputFiles relative paths of files the program writes, returned with the result
     */
    public record RunOptions(boolean mergeStderr, int runs, List<String> outputFiles) {
        public static final RunOptions ONCE = new RunOptions(false, 1, List.of());

        public RunOptions {
            runs = Math.max(1, runs);
            outputFiles = outputFiles == null ? List.of() : List.copyOf(outputFiles);
        }
    }

    /** One test case: its own stdin and args (null for the submission's), and the stdout it expects. */
    public record JobTest(String name, byte[] stdin, List<String> args, byte[] expectedOutput) {}

    /** How a test's stdout is compared with what it expects. */
    public enum Comparison { EXACT, TRAILING_WHITESPACE, WHITESPACE }

    /** One file, at a relative path inside the sandbox's work folder. */
    public record JobFile(String path, byte[] content) {}

    /**
     * The worst-case sandbox time of a job: every test (or the one program, when there are none),
     * each run of it, at the full wall limit, plus the compile's wall limit. The api bounds it per key
     * and the executor stops a job past it.
     *
     * @param compileWallTimeMs the runtime's compile wall limit; 0 for an interpreted runtime
     */
    public static long worstCaseSandboxMs(int tests, int runs, long wallTimeMs, long compileWallTimeMs) {
        return Math.addExact(Math.multiplyExact(Math.max(1, tests) * (long) Math.max(1, runs), wallTimeMs), compileWallTimeMs);
    }

    /**
     * The hard limits of one run, and the sandbox time of the whole job.
     *
     * @param outputBytes the most bytes kept of stdout and of stderr, each
     * @param sandboxMs   the most sandbox time (compile and every run, by wall clock) the job may use;
     *                    0, as in a job of an api from before budgets, stands for its worst case
     */
    public record JobLimits(long wallTimeMs, long memoryMb, long outputBytes,
                            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long sandboxMs) {
        public JobLimits(long wallTimeMs, long memoryMb, long outputBytes) {
            this(wallTimeMs, memoryMb, outputBytes, 0);
        }
    }
}
