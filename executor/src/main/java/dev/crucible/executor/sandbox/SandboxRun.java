package dev.crucible.executor.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What was observed of one sandboxed run, from outside the sandbox.
 *
 * @param ending         how the run ended: by itself, with an exit code, or stopped
 * @param output         what the program wrote
 * @param startedAt      when the program started, as a timestamp; how long it ran is {@link #wallTime()}
 * @param finishedAt     when its exit was observed, as a timestamp
 * @param image          the image the sandbox ran; null when none did
 * @param stages         how long each stage of the sandbox's life took, on the executor's clock
 * @param usage          what the program used; null when it could not be read (the sandbox never ran it)
 * @param outputFiles    the output files the spec asked for that were found, by path
 */
public record SandboxRun(
        Ending ending,
        Output output,
        Instant startedAt,
        Instant finishedAt,
        SandboxImage image,
        Stages stages,
        Usage usage,
        Map<String, byte[]> outputFiles) {

    public SandboxRun {
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(stages, "stages");
        outputFiles = outputFiles == null ? Map.of() : Map.copyOf(outputFiles);
    }

    /** The same run with its teardown measured, which ends only after the run was observed. */
    SandboxRun withTeardown(Duration teardown) {
        return new SandboxRun(ending, output, startedAt, finishedAt, image,
                new Stages(stages.create(), stages.start(), stages.run(), teardown, stages.sandboxes(), stages.pooled()),
                usage, outputFiles);
    }

    /**
     * How long the program ran: from its start to its observed exit, on the executor's monotonic
     * clock, a kill at a limit included. The one measurement of that interval; the timestamps are not.
     */
    public Duration wallTime() {
        return stages.run();
    }

    /**
     * What the program used, from the sandbox's cgroup on the host: the figures after its exit (or
     * just before its kill) less those of the sandbox at rest just before it started.
     *
     * @param cpu             user and system CPU time of its processes and of gVisor serving them; null
     *                        when the host killed the sandbox for memory before it could be read
     * @param peakMemoryBytes the sandbox's peak memory above its memory at rest; when the host killed it
     *                        for memory, the limit above that
     */
    public record Usage(Duration cpu, long peakMemoryBytes) {}

    /** The first bytes of one output stream, and how many bytes after them were dropped. */
    public record CapturedStream(byte[] kept, long droppedBytes) {
        public static final CapturedStream NONE = new CapturedStream(new byte[0], 0);
    }

    /** What the program wrote on its two output streams. */
    public record Output(CapturedStream stdout, CapturedStream stderr) {
        public static final Output NONE = new Output(CapturedStream.NONE, CapturedStream.NONE);
    }

    /**
     * The life of one sandbox, measured with {@link System#nanoTime()} (Docker's timestamps are a
     * different clock and miss the calls around the program).
     *
     * @param create   taking a started sandbox from the pool (and renaming it after the run), or creating one
     * @param start    starting it, when none was taken from the pool, copying the files in, and reading
     *                 what it uses at rest
     * @param run      from the program's start to its observed exit, including a kill at a limit
     * @param teardown  reading the exit status and usage and collecting output files; the removal of the
     *                  container comes after the result, off its critical path
     * @param sandboxes how many sandboxes these stages are of
     * @param pooled    how many of them were taken started from the pool
     */
    public record Stages(Duration create, Duration start, Duration run, Duration teardown, int sandboxes, int pooled) {
        /** No time at all: a sandbox never created (its run was cancelled first), or the sum of none. */
        public static final Stages NONE = new Stages(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0);

        /** The stages of one sandbox, {@code pooled} when it came from the pool. */
        public static Stages of(Duration create, Duration start, Duration run, Duration teardown, boolean pooled) {
            return new Stages(create, start, run, teardown, 1, pooled ? 1 : 0);
        }

        public Stages plus(Stages other) {
            return new Stages(create.plus(other.create), start.plus(other.start), run.plus(other.run), teardown.plus(other.teardown),
                    sandboxes + other.sandboxes, pooled + other.pooled);
        }

        public Duration total() {
            return create.plus(start).plus(run).plus(teardown);
        }
    }
}
