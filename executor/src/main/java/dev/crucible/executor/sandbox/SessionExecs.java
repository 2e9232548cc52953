package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command of a session in its started sandbox and measures it from the host: the exit
 * status Docker reports for the exec, CPU time as the growth of the sandbox's cgroup counter while it
 * ran (background processes included), memory as the sandbox's peak so far. Unlike a run's, a limit
 * here never kills the sandbox: the command is stopped inside it, and the session goes on.
 */
final class SessionExecs {
    private static final Logger log = LoggerFactory.getLogger(SessionExecs.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration OUTPUT_DRAIN = Duration.ofMillis(500);

    private final DockerClient streams;
    private final CgroupMeter meter;
    private final ExitWait exitWait;
    private final ExecMaker execs;

    SessionExecs(DockerClient streams, CgroupMeter meter, ExitWait exitWait, ExecMaker execs) {
        this.streams = streams;
        this.meter = meter;
        this.exitWait = exitWait;
        this.execs = execs;
    }

    SandboxRun exec(SessionSandboxes.Held sandbox, SessionSandboxes.Exec exec) {
        String id = execs.create(sandbox.name(), exec.command());
        CgroupMeter.Usage before = meter.read(sandbox.id());
        CappedOutput output = new CappedOutput(exec.stdoutBytes(), exec.stderrBytes(), () -> stop(sandbox, exec), exec.tap());
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        try (CappedOutput attached = streams.execStartCmd(id).withDetach(false).withTty(false).exec(output)) {
            Ending waited = exitWait.awaitExit(attached, id, exec.hostDeadline(), Cancellation.NEVER, () -> !alive(sandbox));
            if (waited instanceof Ending.OutputExceeded) {
                // Stopped from inside; its exit is what ends the run (or the deadline, if the stop failed).
                waited = exitWait.exitWithin(id, exec.hostDeadline());
                waited = waited instanceof Ending.TimedOut ? waited : Ending.OUTPUT_EXCEEDED;
            }
            Instant finishedAt = Instant.now();
            Duration ran = Duration.ofNanos(System.nanoTime() - started);
            if (waited instanceof Ending.Exited) {
                try {
                    attached.ended(OUTPUT_DRAIN.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SandboxException("interrupted while reading the end of a command's output in " + sandbox.name(), e);
                }
            }
            CgroupMeter.Usage after = readIfAlive(sandbox);
            Ending ending = after == null && !(waited instanceof Ending.TimedOut) ? Ending.OUT_OF_MEMORY : waited;
            SandboxRun.Usage usage = after == null ? null
                    : new SandboxRun.Usage(Duration.ofNanos(after.cpuNanos() - before.cpuNanos()), after.peakMemoryBytes());
            return new SandboxRun(ending, output.captured(), startedAt, finishedAt, null,
                    SandboxRun.Stages.of(Duration.ZERO, Duration.ZERO, ran, Duration.ZERO, false), usage, Map.of());
        } catch (IOException e) {
            throw new SandboxException("cannot close the output stream of a command in " + sandbox.name(), e);
        }
    }

    /** Runs the command's own stop inside the sandbox, and waits a little for it: it is best effort, the deadline is the backstop. */
    private void stop(SessionSandboxes.Held sandbox, SessionSandboxes.Exec exec) {
        try {
            String stop = execs.create(sandbox.name(), exec.stop());
            try (CappedOutput ignored = streams.execStartCmd(stop).withDetach(false).withTty(false)
                    .exec(new CappedOutput(4096, 4096, () -> {}, OutputTap.NONE))) {
                exitWait.exitWithin(stop, STOP_WAIT);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot stop a command in {}: {}", sandbox.name(), e.toString());
        }
    }

    boolean alive(SessionSandboxes.Held sandbox) {
        return readIfAlive(sandbox) != null;
    }

    /** The sandbox's usage now, or null once its cgroup is gone (killed for memory, or removed). */
    private CgroupMeter.Usage readIfAlive(SessionSandboxes.Held sandbox) {
        try {
            return meter.read(sandbox.id());
        } catch (SandboxException gone) {
            return null;
        }
    }
}
