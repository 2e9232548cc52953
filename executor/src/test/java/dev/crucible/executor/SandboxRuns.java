package dev.crucible.executor;

import dev.crucible.executor.sandbox.Ending;
import dev.crucible.executor.sandbox.SandboxImage;
import dev.crucible.executor.sandbox.SandboxRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Test data: a sandboxed run as a fake sandbox reports it. Unless told otherwise it printed
 * nothing, used nothing measured, collected no file, and its program ran 250 ms from {@link #T0}.
 */
final class SandboxRuns {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** A program sandbox's stages; create is 1.6 ms, so that rounding each sandbox instead of the sum would show. */
    static final SandboxRun.Stages STAGES = SandboxRun.Stages.of(
            Duration.ofNanos(1_600_000), Duration.ofMillis(2), Duration.ofMillis(250), Duration.ofMillis(5), false);

    private final Ending ending;
    private SandboxRun.CapturedStream stdout = SandboxRun.CapturedStream.NONE;
    private SandboxRun.CapturedStream stderr = SandboxRun.CapturedStream.NONE;
    private SandboxRun.Stages stages = STAGES;
    private SandboxRun.Usage usage;
    private Map<String, byte[]> outputFiles = Map.of();

    private SandboxRuns(Ending ending) {
        this.ending = ending;
    }

    /** A program that exited by itself with {@code exitCode}. */
    static SandboxRuns exited(int exitCode) {
        return new SandboxRuns(new Ending.Exited(exitCode));
    }

    /** A run that ended as {@code ending}: a kill at a limit, or a cancellation. */
    static SandboxRuns ended(Ending ending) {
        return new SandboxRuns(ending);
    }

    SandboxRuns stdout(byte[] kept) {
        stdout = new SandboxRun.CapturedStream(kept, 0);
        return this;
    }

    SandboxRuns stdout(String kept) {
        return stdout(kept.getBytes());
    }

    SandboxRuns stderr(String kept) {
        stderr = new SandboxRun.CapturedStream(kept.getBytes(), 0);
        return this;
    }

    SandboxRuns stages(SandboxRun.Stages measured) {
        stages = measured;
        return this;
    }

    /** The program ran this long; the other stages stay as they are. */
    SandboxRuns wallTime(Duration run) {
        stages = new SandboxRun.Stages(stages.create(), stages.start(), run, stages.teardown(), stages.sandboxes(), stages.pooled());
        return this;
    }

    /** The sandbox came started from the pool. */
    SandboxRuns pooled() {
        stages = SandboxRun.Stages.of(stages.create(), stages.start(), stages.run(), stages.teardown(), true);
        return this;
    }

    SandboxRuns usage(Duration cpu, long peakMemoryBytes) {
        usage = new SandboxRun.Usage(cpu, peakMemoryBytes);
        return this;
    }

    SandboxRuns outputFiles(Map<String, byte[]> found) {
        outputFiles = found;
        return this;
    }

    SandboxRun build() {
        return new SandboxRun(ending, new SandboxRun.Output(stdout, stderr), T0, T0.plus(stages.run()),
                new SandboxImage("sha256:test", List.of("python3-minimal=3.11.2-6")), stages,
                usage, outputFiles);
    }
}
