package dev.crucible.executor;

import dev.crucible.executor.sandbox.Sandbox;
import dev.crucible.executor.sandbox.SandboxException;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SandboxSpec;
import dev.crucible.queue.ExecutionEvent.Outcome;
import dev.crucible.queue.Job;
import dev.crucible.queue.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one job in the sandbox and judges what happened. Never throws: a failure is an {@code internal_error} outcome. */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
            Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"),
            Map.entry(25, "SIGXFSZ"), Map.entry(31, "SIGSYS"));

    private final RuntimeCatalog catalog;
    private final Sandbox sandbox;
    private final Clock clock;

    JobRunner(RuntimeCatalog catalog, Sandbox sandbox, Clock clock) {
        this.catalog = catalog;
        this.sandbox = sandbox;
        this.clock = clock;
    }

    Outcome execute(Job job) {
        RuntimeManifest runtime = catalog.find(job.runtime()).orElse(null);
        if (runtime == null) {
            return Outcome.internalError("this executor has no runtime '" + job.runtime() + "'", clock.instant());
        }
        try {
            List<String> command = new ArrayList<>();
            for (String part : runtime.run()) {
                // In a manifest's run command, the source file name stands for the submission's entry file;
                // "./" keeps an entry named like an option ("-c") from being read as one.
                command.add(part.equals(runtime.sourceFile()) ? "./" + job.entryFile() : part);
            }
            command.addAll(job.args());
            SandboxSpec spec = new SandboxSpec(
                    job.submissionId() + "-" + UUID.randomUUID().toString().substring(0, 8),
                    runtime.imageTag(),
                    command,
                    job.files().stream().map(f -> new SandboxSpec.SandboxFile(f.path(), f.content())).toList(),
                    job.stdin(),
                    Duration.ofMillis(job.limits().wallTimeMs()),
                    job.limits().memoryMb() << 20,
                    job.limits().outputBytes());
            return judge(sandbox.run(spec));
        } catch (SandboxException | IllegalArgumentException e) {
            log.error("submission {} failed in the sandbox: {}", job.submissionId(), e.getMessage());
            return Outcome.internalError(e.getMessage(), clock.instant());
        } catch (RuntimeException e) {
            log.error("submission {} failed unexpectedly", job.submissionId(), e);
            return Outcome.internalError("the executor failed: " + e, clock.instant());
        }
    }

    /** The verdict, in order of precedence: what the executor did to the sandbox, then what happened in it. */
    static Outcome judge(SandboxRun run) {
        boolean killedByUs = run.timedOut() || run.outputExceeded();
        Verdict verdict;
        if (run.timedOut()) {
            verdict = Verdict.TIME_LIMIT_EXCEEDED;
        } else if (run.outputExceeded()) {
            verdict = Verdict.OUTPUT_LIMIT_EXCEEDED;
        } else if (run.oomKilled()) {
            verdict = Verdict.MEMORY_LIMIT_EXCEEDED;
        } else if (run.exitCode() == 0) {
            verdict = Verdict.ACCEPTED;
        } else {
            verdict = Verdict.RUNTIME_ERROR;
        }
        Integer exitCode = killedByUs ? null : run.exitCode();
        String signal = killedByUs ? "SIGKILL" : exitCode > 128 ? SIGNALS.get(exitCode - 128) : null;
        long wallMs = Math.max(0, Duration.between(run.startedAt(), run.finishedAt()).toMillis());
        return new Outcome(verdict, exitCode, signal,
                run.stdout().kept(), run.stdout().droppedBytes(),
                run.stderr().kept(), run.stderr().droppedBytes(),
                wallMs, run.startedAt(), run.finishedAt(), null);
    }
}
