package dev.crucible.executor.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One program to run in a fresh sandbox.
 *
 * @param runId       names the sandbox container and labels it, so leftovers can be found
 * @param image       a local runtime image
 * @param command     argv run in the work folder; handed over as an array, never joined into a shell line
 * @param files       written into the work folder before the sandbox starts; paths already checked as relative
 * @param stdin       given to the program on standard input
 * @param limits      what the program may take before it is killed
 * @param output      where its stderr goes, what files are taken out after it, and who sees its output as it comes
 */
public record SandboxSpec(
        String runId,
        String image,
        List<String> command,
        List<SandboxFile> files,
        byte[] stdin,
        Limits limits,
        OutputHandling output) {

    /** The largest output file collected. */
    public static final int OUTPUT_FILE_BYTES = 256 << 10;

    public SandboxSpec {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        files = List.copyOf(files);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(output, "output");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command for run " + runId);
        }
    }

    /**
     * A compile: no stdin, stderr apart, no output files. {@code limits} caps stdout, where the
     * compiled work folder comes out, apart from stderr, where the compiler's messages do.
     */
    public static SandboxSpec compile(String runId, String image, List<String> command, List<SandboxFile> files, Limits limits) {
        return new SandboxSpec(runId, image, command, files, new byte[0], limits, OutputHandling.PLAIN);
    }

    /** A program given {@code stdin}, its stderr apart, collecting no output files. */
    public static SandboxSpec program(String runId, String image, List<String> command, List<SandboxFile> files, byte[] stdin,
                                      Limits limits) {
        return new SandboxSpec(runId, image, command, files, stdin, limits, OutputHandling.PLAIN);
    }

    /** The same run, its stderr going into its stdout when {@code merge}. */
    public SandboxSpec mergingStderr(boolean merge) {
        return withOutput(new OutputHandling(merge, output.collect(), output.live()));
    }

    /** The same run, collecting {@code paths} after the program exits by itself. */
    public SandboxSpec collecting(List<String> paths) {
        return withOutput(new OutputHandling(output.mergeStderr(), new Collect.Files(paths), output.live()));
    }

    /** The same run, collecting the files {@code patterns} match after the program exits by itself. */
    public SandboxSpec collectingReports(List<String> patterns) {
        return withOutput(new OutputHandling(output.mergeStderr(), new Collect.Matching(patterns), output.live()));
    }

    /** The same run, its output seen by {@code tap} as it comes. */
    public SandboxSpec streamingTo(OutputTap tap) {
        return withOutput(new OutputHandling(output.mergeStderr(), output.collect(), tap));
    }

    private SandboxSpec withOutput(OutputHandling other) {
        return new SandboxSpec(runId, image, command, files, stdin, limits, other);
    }

    /**
     * What a program may take before it is killed.
     *
     * @param wallTime    the program is killed when it runs longer
     * @param memoryBytes memory of the sandbox, including what the program writes to its filesystem; no swap
     * @param stdoutBytes the most bytes kept of stdout; the program is killed past it
     * @param stderrBytes the most bytes kept of stderr; the program is killed past it
     */
    public record Limits(Duration wallTime, long memoryBytes, long stdoutBytes, long stderrBytes) {
        public Limits {
            Objects.requireNonNull(wallTime, "wallTime");
        }

        /** The same cap for stdout and stderr. */
        public static Limits of(Duration wallTime, long memoryBytes, long outputBytes) {
            return new Limits(wallTime, memoryBytes, outputBytes, outputBytes);
        }
    }

    /**
     * What becomes of a program's output besides the run that keeps it.
     *
     * @param mergeStderr the program's stderr goes into its stdout
     * @param collect     the files to take out of the work folder after the program exits by itself
     * @param live        sees the output as it comes
     */
    public record OutputHandling(boolean mergeStderr, Collect collect, OutputTap live) {
        /** Stderr apart, no files collected, nobody watching. */
        public static final OutputHandling PLAIN = new OutputHandling(false, Collect.NOTHING, OutputTap.NONE);

        public OutputHandling {
            Objects.requireNonNull(collect, "collect");
            Objects.requireNonNull(live, "live");
        }
    }

    /**
     * What is taken out of the work folder once the program has exited by itself: regular files of at
     * most {@link #OUTPUT_FILE_BYTES}, reached through real folders only.
     */
    public sealed interface Collect {
        Collect NOTHING = new Files(List.of());

        /** These paths, relative to the work folder and already checked. */
        record Files(List<String> paths) implements Collect {
            public Files {
                paths = List.copyOf(paths);
            }
        }

        /** What these paths match, each part a shell pattern, as a project's reports are found. */
        record Matching(List<String> patterns) implements Collect {
            public Matching {
                patterns = List.copyOf(patterns);
            }
        }
    }

    /**
     * A file for the work folder, at a path relative to it; or, with a {@code linkTarget}, a symbolic
     * link there, whose relative target without ".." parts (as a project archive's may have) stays below it.
     */
    public record SandboxFile(String path, byte[] content, boolean executable, String linkTarget) {
        public SandboxFile(String path, byte[] content, boolean executable) {
            this(path, content, executable, null);
        }

        public SandboxFile(String path, byte[] content) {
            this(path, content, false, null);
        }

        /** A symbolic link at {@code path} to {@code target}. */
        public static SandboxFile link(String path, String target) {
            return new SandboxFile(path, new byte[0], false, target);
        }
    }
}
