package dev.crucible.queue;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything an executor needs to run one submission. It carries the files themselves because
 * executors have no database access.
 *
 * @param runtime the runtime's canonical name; the executor resolves it in its own catalog
 * @param files   the program's files
 * @param entryFile the path, among {@code files}, that the runtime's run command runs
 * @param stdin   the bytes given on standard input
 * @param args    argv handed to the program after the runtime's run command, never through a shell
 * @param runs    how often the program runs, each time in a fresh sandbox (1 when absent); never with tests
 * @param outputFiles relative paths of files the program writes, returned with the result
 */
public record Job(UUID submissionId, String runtime, List<JobFile> files, String entryFile, byte[] stdin, List<String> args,
                  JobLimits limits, List<JobTest> tests, Comparison comparison, boolean mergeStderr, int runs,
                  List<String> outputFiles) {
    public Job {
        // A job can come from Redis, written by anything: refuse an incomplete one at decoding.
        Objects.requireNonNull(submissionId, "submissionId");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(entryFile, "entryFile");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(limits, "limits");
        files = List.copyOf(files);
        args = List.copyOf(args);
        tests = tests == null ? List.of() : List.copyOf(tests);
        comparison = comparison == null ? Comparison.TRAILING_WHITESPACE : comparison;
        runs = Math.max(1, runs);
        outputFiles = outputFiles == null ? List.of() : List.copyOf(outputFiles);
    }

    /** One test case: its own stdin and args (null for the submission's), and the stdout it expects. */
    public record JobTest(String name, byte[] stdin, List<String> args, byte[] expectedOutput) {}

    /** How a test's stdout is compared with what it expects. */
    public enum Comparison { EXACT, TRAILING_WHITESPACE, WHITESPACE }

    /** One file, at a relative path inside the sandbox's work folder. */
    public record JobFile(String path, byte[] content) {}

    /**
     * The hard limits of one run.
     *
     * @param outputBytes the most bytes kept of stdout and of stderr, each
     */
    public record JobLimits(long wallTimeMs, long memoryMb, long outputBytes) {}
}
