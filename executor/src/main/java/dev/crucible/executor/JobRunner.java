package dev.crucible.executor;

import dev.crucible.archive.ArchiveRefusedException;
import dev.crucible.archive.ProjectArchive;
import dev.crucible.executor.sandbox.Cancellation;
import dev.crucible.executor.sandbox.Ending;
import dev.crucible.executor.sandbox.ExitSignals;
import dev.crucible.executor.live.LiveFeed;
import dev.crucible.executor.sandbox.OutputTap;
import dev.crucible.executor.sandbox.Sandbox;
import dev.crucible.executor.sandbox.SandboxException;
import dev.crucible.executor.sandbox.SandboxImage;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SandboxSpec;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.ExecutionEvent.Outcome;
import dev.crucible.queue.Job;
import dev.crucible.queue.OutputChunk;
import dev.crucible.queue.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job and judges what happened: for a compiled language, first a compile sandbox whose
 * result is the work folder, then a fresh sandbox that runs it. Never throws: a failure of the
 * machinery is an {@code internal_error} outcome.
 */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** The compiler's messages are kept up to this size. */
    static final long COMPILE_OUTPUT_BYTES = 64 << 10;
    /** The compiled work folder, as a tar on the compile sandbox's stdout, may be this large. */
    static final long ARTIFACT_BYTES = 64L << 20;
    /**
     * Runs the compile argv with its output on stderr (the compiler's messages), then writes the work
     * folder as a tar to stdout: what the compiler made leaves the sandbox as data, not as files the
     * host would have to read from a filesystem the sandbox wrote.
     */
    private static final String COMPILE_SCRIPT = "\"$@\" 1>&2 && exec tar -C /workspace -cf - .";
    /** Stdout and stderr stored of all of one submission's tests or runs together, unless configured. */
    static final long SUBMISSION_OUTPUT_BYTES = 4L << 20;

    private final RuntimeCatalog catalog;
    private final Sandbox sandbox;
    private final Clock clock;
    private final String executor;
    private final String sandboxVersion;
    private final long submissionOutputBytes;
    private final Retries retries;
    private final LiveFeed.Settings live;

    /**
     * How a job whose machinery failed (Docker or its proxy unreachable or failing, a sandbox that
     * could not be created, started or watched) is run again from scratch: up to {@code attempts}
     * times in all, within {@code deadline} of its first attempt, each after the sandbox host
     * {@code recovery} says it is back and a backoff that doubles from {@code firstBackoff}.
     */
    record Retries(int attempts, Duration deadline, Duration firstBackoff, Recovery recovery) {
        static final Retries NEVER = new Retries(1, Duration.ZERO, Duration.ZERO, (failure, limit) -> false);

        Retries {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
            }
        }
    }

    /** What waits for the sandbox host after one of its failures: {@link SandboxHealth}'s circuit breaker. */
    @FunctionalInterface
    interface Recovery {
        /** Reports the failure and waits up to {@code limit} for the host to answer again; whether it did. */
        boolean awaitRecovery(String failure, Duration limit) throws InterruptedException;
    }

    JobRunner(RuntimeCatalog catalog, Sandbox sandbox, Clock clock) {
        this(catalog, sandbox, clock, "executor", "runsc", SUBMISSION_OUTPUT_BYTES, Retries.NEVER, LiveFeed.Settings.OFF);
    }

    /**
     * @param executor              this executor's name, reported in each result's provenance
     * @param sandboxVersion        e.g. {@code runsc 0.0~20221219.0}, reported likewise
     * @param submissionOutputBytes stdout and stderr stored of all of a submission's tests or runs together
     * @param live                  where each job's output goes while it runs
     */
    JobRunner(RuntimeCatalog catalog, Sandbox sandbox, Clock clock, String executor, String sandboxVersion,
              long submissionOutputBytes, Retries retries, LiveFeed.Settings live) {
        this.catalog = catalog;
        this.sandbox = sandbox;
        this.clock = clock;
        this.executor = executor;
        this.sandboxVersion = sandboxVersion;
        this.submissionOutputBytes = submissionOutputBytes;
        this.retries = retries;
        this.live = live;
    }

    Outcome execute(Job job) {
        return execute(job, Cancellation.NEVER, Interlude.NONE);
    }

    /**
     * Runs the job; once {@code cancellation} is requested, the sandbox in use is killed and no other
     * starts. Between two tests or runs, {@code interlude} has its turn. A failure of the machinery
     * runs the whole job again, as {@link Retries} says; only the last one is an internal_error.
     */
    Outcome execute(Job job, Cancellation cancellation, Interlude interlude) {
        RuntimeManifest runtime = catalog.find(job.runtime()).orElse(null);
        if (runtime == null) {
            return Outcome.internalError("this executor has no runtime '" + job.runtime() + "'", clock.instant());
        }
        // A job can come from Redis, written by anything: the compiler gets only what this executor's manifest allows.
        for (String option : job.code().compileOptions()) {
            if (!runtime.compiled() || !runtime.compile().allows(option)) {
                return Outcome.internalError("compile option '" + option + "' is not one this executor's " + runtime.name()
                        + " manifest allows", clock.instant());
            }
        }
        try (LiveFeed feed = new LiveFeed(live, job.submissionId())) {
            return execute(job, runtime, new Watch(cancellation, interlude, feed));
        }
    }

    /** The job's attempts; a job run again after a machinery failure shows its live output again. */
    private Outcome execute(Job job, RuntimeManifest runtime, Watch watch) {
        Cancellation cancellation = watch.cancellation();
        long deadline = System.nanoTime() + retries.deadline().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(job, runtime, watch);
            } catch (SandboxException e) {
                log.error("submission {} failed in the sandbox machinery (attempt {} of {}): {}", job.submissionId(), attempt,
                        retries.attempts(), e.getMessage());
                if (!recovered(e, attempt, deadline, cancellation)) {
                    return cancellation.requested() ? cancelled() : Outcome.internalError(attempt == 1 ? e.getMessage()
                            : "the sandbox infrastructure failed on each of " + attempt + " attempts, so the program's own result"
                            + " is unknown; the last failure: " + e.getMessage(), clock.instant());
                }
                log.info("submission {} runs again from the start (attempt {})", job.submissionId(), attempt + 1);
            } catch (IllegalArgumentException e) {
                log.error("submission {} failed in the sandbox: {}", job.submissionId(), e.getMessage());
                return Outcome.internalError(e.getMessage(), clock.instant());
            } catch (RuntimeException e) {
                log.error("submission {} failed unexpectedly", job.submissionId(), e);
                return Outcome.internalError("the executor failed: " + e, clock.instant());
            }
        }
    }

    /** Whether another attempt may run: attempts and time are left, the host answers again, and the backoff has passed. */
    private boolean recovered(SandboxException failure, int attempt, long deadline, Cancellation cancellation) {
        if (attempt >= retries.attempts() || cancellation.requested()) {
            return false;
        }
        try {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || !retries.recovery().awaitRecovery(failure.getMessage(), left)) {
                return false;
            }
            Duration backoff = retries.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
            Thread.sleep(Math.max(0, Math.min(backoff.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            return !cancellation.requested() && System.nanoTime() < deadline;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One attempt at the job; throws {@link SandboxException} when the machinery fails. */
    private Outcome attempt(Job job, RuntimeManifest runtime, Watch watch) {
        if (job.code().project() != null) {
            return runProject(job, runtime, job.code().project(), watch);
        }
        List<SandboxSpec.SandboxFile> files = job.code().files().stream()
                .map(f -> new SandboxSpec.SandboxFile(f.path(), f.content())).toList();
        SandboxBudget budget = SandboxBudget.of(job, runtime);
        if (!runtime.compiled()) {
            return runProgram(job, runtime, new Program(files, null, null), budget, watch);
        }
        SandboxRun compiled;
        try (LiveFeed.Part part = watch.feed().part(OutputChunk.Stage.COMPILE, null, null)) {
            // The compile's stdout is the compiled work folder, as a tar: only its messages are output.
            compiled = sandbox.run(compileSpec(job, runtime, files).streamingTo((stream, bytes) -> {
                if (stream == OutputTap.Stream.STDERR) {
                    part.take(stream, bytes);
                }
            }), watch.cancellation());
        }
        if (compiled.ending() instanceof Ending.Cancelled) {
            return cancelled();
        }
        Outcome failed = compileFailure(compiled);
        if (failed != null) {
            return failed;
        }
        budget.spent(compiled, runtime.compile().limits().wallTimeMs());
        return runProgram(job, runtime, new Program(CompiledArtifact.files(compiled.output().stdout().kept()),
                compiled.output().stderr().kept(), compiled.stages().total()), budget, watch);
    }

    /**
     * A project: its archive unpacked into one fresh sandbox, where its test command runs; the JUnit
     * reports it leaves give the test cases. The runtime's compile and run commands are not used.
     */
    private Outcome runProject(Job job, RuntimeManifest runtime, Job.Project project, Watch watch) {
        List<SandboxSpec.SandboxFile> files;
        try {
            // The api read it already; a job can also come from Redis, written by anything.
            files = ProjectArchive.read(project.archive(), ProjectArchive.Limits.DEFAULT).stream().map(entry -> switch (entry) {
                case ProjectArchive.File f -> new SandboxSpec.SandboxFile(f.path(), f.content(), f.executable());
                case ProjectArchive.Link l -> SandboxSpec.SandboxFile.link(l.path(), l.target());
            }).toList();
        } catch (ArchiveRefusedException e) {
            return Outcome.internalError("the project's archive is refused: " + e.getMessage(), clock.instant());
        }
        SandboxSpec.Limits limits = SandboxSpec.Limits.of(Duration.ofMillis(job.limits().wallTimeMs()),
                job.limits().memoryMb() << 20, job.limits().outputBytes());
        SandboxRun run;
        try (LiveFeed.Part live = watch.feed().part(OutputChunk.Stage.RUN, null, null)) {
            run = sandbox.run(SandboxSpec.program(runId(job, "project"), runtime.image().tag(), project.testCommand(), files,
                            job.input().stdin(), limits)
                    .mergingStderr(job.options().mergeStderr()).collectingReports(project.reportPaths()).streamingTo(live),
                    watch.cancellation());
        }
        if (run.ending() instanceof Ending.Cancelled) {
            return cancelled();
        }
        JunitReports.Parsed reports = JunitReports.parse(new TreeMap<>(run.outputFiles()));
        // Runners with no JUnit reporter in their image (go, node 18, rust) say on stdout how each case went.
        ConsoleTestReports.Read printed = run.outputFiles().isEmpty()
                ? ConsoleTestReports.parse(new String(run.output().stdout().kept(), StandardCharsets.UTF_8)) : null;
        List<ExecutionEvent.TestCaseOutcome> cases = printed != null ? printed.cases() : reports.cases();
        return new Outcome(judgeProject(run, cases), new OutputAllowance(submissionOutputBytes).keep(output(run)),
                new ExecutionEvent.Diagnostics(reportsMessage(project, run, reports, printed), null),
                List.of(), List.of(), List.of(), new ExecutionEvent.Context(run.startedAt(), run.finishedAt(), null, null), cases)
                .ranOn(provenance(job, runtime, run.image()), timings(null, run.stages()));
    }

    /**
     * A project's verdict: a limit that ended it first; else wrong_answer when a test case failed or
     * erred (test runners exit non-zero then); else the test command's own exit.
     */
    static ExecutionEvent.ProgramResult judgeProject(SandboxRun run, List<ExecutionEvent.TestCaseOutcome> cases) {
        ExecutionEvent.ProgramResult judged = judge(run);
        boolean failed = cases.stream().anyMatch(c -> c.status() == ExecutionEvent.TestCaseStatus.FAILED
                || c.status() == ExecutionEvent.TestCaseStatus.ERROR);
        boolean ranOut = judged.verdict() != Verdict.ACCEPTED && judged.verdict() != Verdict.RUNTIME_ERROR;
        return failed && !ranOut ? judged.withVerdict(Verdict.WRONG_ANSWER) : judged;
    }

    /** What the user should know of the reports: none found, some unreadable, cases cut; null when all is well. */
    private static String reportsMessage(Job.Project project, SandboxRun run, JunitReports.Parsed reports,
            ConsoleTestReports.Read printed) {
        if (!(run.ending() instanceof Ending.Exited)) {
            return null;
        }
        List<String> notes = new ArrayList<>();
        if (run.outputFiles().isEmpty()) {
            notes.add("no JUnit XML report was found at " + String.join(", ", project.reportPaths())
                    + (printed == null ? "" : "; the test cases were read from stdout as " + printed.format() + " prints them"));
        }
        if (printed != null && printed.truncated()) {
            notes.add("only the first " + JunitReports.MAX_CASES + " test cases are kept");
        }
        if (!reports.unreadable().isEmpty()) {
            notes.add("not JUnit XML, so not read: " + String.join(", ", reports.unreadable()));
        }
        if (reports.truncated()) {
            notes.add("only the first " + JunitReports.MAX_CASES + " test cases are kept");
        }
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    /** What a job's runs answer to besides their spec: its cancellation, its interludes, its live output. */
    private record Watch(Cancellation cancellation, Interlude interlude, LiveFeed feed) {}

    /**
     * What the program runs with.
     *
     * @param files         the submitted files, or what the compiler made of them
     * @param compileOutput what the compiler said; null for interpreted languages
     * @param compileTime   the compile sandbox's whole life; null for interpreted languages
     */
    private record Program(List<SandboxSpec.SandboxFile> files, byte[] compileOutput, Duration compileTime) {}

    private Outcome runProgram(Job job, RuntimeManifest runtime, Program program, SandboxBudget budget, Watch watch) {
        return job.testing().tests().isEmpty() ? runRepeatedly(job, runtime, program, budget, watch)
                : runTests(job, runtime, program, budget, watch);
    }

    private SandboxSpec compileSpec(Job job, RuntimeManifest runtime, List<SandboxSpec.SandboxFile> files) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", COMPILE_SCRIPT, "compile"));
        command.addAll(withEntryFile(runtime.compile().command(), runtime, job));
        command.addAll(job.code().compileOptions());
        return SandboxSpec.compile(runId(job, "compile"), runtime.image().tag(), command, files,
                new SandboxSpec.Limits(Duration.ofMillis(runtime.compile().limits().wallTimeMs()),
                        runtime.compile().limits().memoryMb() << 20, ARTIFACT_BYTES, COMPILE_OUTPUT_BYTES));
    }

    /** The program run as many times as the job asks, each in a fresh sandbox; the first run collects the output files. */
    private Outcome runRepeatedly(Job job, RuntimeManifest runtime, Program program, SandboxBudget budget, Watch watch) {
        List<SandboxRun> runs = new ArrayList<>();
        String stopped = null;
        for (int i = 0; i < job.options().runs(); i++) {
            if (i > 0) {
                watch.interlude().betweenParts();
            }
            if (i > 0 && budget.usedUp()) {
                stopped = budget.stopped(i, job.options().runs(), "runs");
                break;
            }
            boolean repeated = job.options().runs() > 1;
            SandboxRun run = run(job, runtime, program.files(), job.input().stdin(), job.input().args(),
                    repeated ? "run" + i : "run", i == 0 ? job.options().outputFiles() : List.of(), watch,
                    watch.feed().part(OutputChunk.Stage.RUN, null, repeated ? i : null));
            if (run.ending() instanceof Ending.Cancelled) {
                return cancelled();
            }
            runs.add(run);
            budget.spent(run, job.limits().wallTimeMs());
        }
        SandboxRun.Stages stages = runs.stream().map(SandboxRun::stages).reduce(SandboxRun.Stages.NONE, SandboxRun.Stages::plus);
        Outcome judged = repeated(job, runs, program.compileOutput());
        Outcome stored = new Outcome(judged.result(), new OutputAllowance(submissionOutputBytes).keep(judged.output()),
                judged.diagnostics(), judged.tests(), judged.runs(), judged.outputFiles(), judged.context());
        return stoppedBy(stored, stopped).ranOn(provenance(job, runtime, runs.getFirst().image()), timings(program.compileTime(), stages));
    }

    /** Each test in a fresh sandbox, with its own input and arguments, or else the job's. */
    private Outcome runTests(Job job, RuntimeManifest runtime, Program program, SandboxBudget budget, Watch watch) {
        List<ExecutionEvent.TestOutcome> results = new ArrayList<>();
        OutputAllowance allowance = new OutputAllowance(submissionOutputBytes);
        Instant started = null;
        Instant finished = null;
        SandboxImage image = null;
        String stopped = null;
        SandboxRun.Stages stages = SandboxRun.Stages.NONE;
        for (int i = 0; i < job.testing().tests().size(); i++) {
            if (i > 0) {
                watch.interlude().betweenParts();
            }
            if (i > 0 && budget.usedUp()) {
                stopped = budget.stopped(i, job.testing().tests().size(), "tests");
                break;
            }
            Job.JobTest test = job.testing().tests().get(i);
            SandboxRun run = run(job, runtime, program.files(), test.stdin() == null ? job.input().stdin() : test.stdin(),
                    test.args() == null ? job.input().args() : test.args(), "test" + i, List.of(), watch,
                    watch.feed().part(OutputChunk.Stage.RUN, i, null));
            if (run.ending() instanceof Ending.Cancelled) {
                return cancelled();
            }
            budget.spent(run, job.limits().wallTimeMs());
            ExecutionEvent.TestOutcome judged = judgeTest(test, run, job.testing().comparison());
            results.add(new ExecutionEvent.TestOutcome(judged.name(), judged.result(), allowance.keep(judged.output())));
            started = started == null ? run.startedAt() : started;
            finished = run.finishedAt();
            image = run.image();
            stages = stages.plus(run.stages());
        }
        return stoppedBy(overall(results, program.compileOutput(), started, finished), stopped)
                .ranOn(provenance(job, runtime, image), timings(program.compileTime(), stages));
    }

    /**
     * A job stopped at its budget, with tests or runs left: it says why, and it is not accepted even
     * when all that ran was, since not all ran. Unchanged when {@code stopped} is null.
     */
    private static Outcome stoppedBy(Outcome outcome, String stopped) {
        if (stopped == null) {
            return outcome;
        }
        ExecutionEvent.ProgramResult result = outcome.verdict() == Verdict.ACCEPTED
                ? outcome.result().withVerdict(Verdict.TIME_LIMIT_EXCEEDED) : outcome.result();
        var diagnostics = new ExecutionEvent.Diagnostics(stopped, outcome.diagnostics().compileOutput());
        return new Outcome(result, outcome.output(), diagnostics, outcome.tests(), outcome.runs(), outcome.outputFiles(),
                outcome.context());
    }

    /**
     * The job's timings: the compile sandbox as one figure, apart from the stages of the sandboxes
     * that ran the program, so that no time is counted twice.
     *
     * @param compile the compile sandbox's whole life; null when there was none
     * @param program the stages summed over the sandboxes that ran the program; null when none did
     */
    private static ExecutionEvent.StageTimings timings(Duration compile, SandboxRun.Stages program) {
        Long compileMs = compile == null ? null : compile.toMillis();
        if (program == null) {
            return new ExecutionEvent.StageTimings(compileMs, null, null, null, null, null);
        }
        String pool = program.sandboxes() == 0 ? null : program.pooled() == program.sandboxes() ? "hit" : "miss";
        return new ExecutionEvent.StageTimings(compileMs, program.create().toMillis(), program.start().toMillis(),
                program.run().toMillis(), program.teardown().toMillis(), pool);
    }

    /** @param image the image the first run ran; null when none ran */
    private ExecutionEvent.Provenance provenance(Job job, RuntimeManifest runtime, SandboxImage image) {
        var ran = new ExecutionEvent.RuntimeImage(runtime.name(), runtime.version(), runtime.image().tag(),
                image == null ? null : image.id());
        return new ExecutionEvent.Provenance(ran, sandboxVersion, executor, filesSha256(job),
                new ExecutionEvent.Limits(job.limits().wallTimeMs(), job.limits().memoryMb()), image == null ? List.of() : image.packages());
    }

    /** SHA-256 over the submitted files: each path, NUL, length, NUL, bytes, in the order given; for a project, of its archive. */
    static String filesSha256(Job job) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            if (job.code().project() != null) {
                return HexFormat.of().formatHex(digest.digest(job.code().project().archive()));
            }
            for (Job.JobFile file : job.code().files()) {
                digest.update(file.path().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Integer.toString(file.content().length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) 0);
                digest.update(file.content());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Reported for a cancelled run; the api ignores it, the submission being cancelled already. */
    private Outcome cancelled() {
        return Outcome.internalError("cancelled", clock.instant());
    }

    private SandboxRun run(Job job, RuntimeManifest runtime, List<SandboxSpec.SandboxFile> files, byte[] stdin,
                           List<String> args, String step, List<String> outputFiles, Watch watch, LiveFeed.Part live) {
        List<String> command = withEntryFile(runtime.run(), runtime, job);
        command.addAll(args);
        SandboxSpec.Limits limits = SandboxSpec.Limits.of(Duration.ofMillis(job.limits().wallTimeMs()),
                job.limits().memoryMb() << 20, job.limits().outputBytes());
        try (live) {
            return sandbox.run(SandboxSpec.program(runId(job, step), runtime.image().tag(), command, files, stdin, limits)
                    .mergingStderr(job.options().mergeStderr()).collecting(outputFiles).streamingTo(live), watch.cancellation());
        }
    }

    /**
     * The outcome of the program's runs (one, or several when the job asked): that of the first run
     * that is not accepted, else of the first; the output files of the first run (the only one that
     * collects them); and, for several, each run's figures.
     *
     * @param compileOutput what the compiler said; null for interpreted languages
     */
    static Outcome repeated(Job job, List<SandboxRun> runs, byte[] compileOutput) {
        List<ExecutionEvent.ProgramResult> judged = runs.stream().map(JobRunner::judge).toList();
        int shown = IntStream.range(0, judged.size()).filter(i -> judged.get(i).verdict() != Verdict.ACCEPTED).findFirst().orElse(0);
        SandboxRun run = runs.get(shown);
        Map<String, byte[]> found = runs.getFirst().outputFiles();
        return new Outcome(judged.get(shown), output(run), new ExecutionEvent.Diagnostics(null, compileOutput), List.of(),
                judged.size() == 1 ? List.of() : judged,
                job.options().outputFiles().stream().map(path -> new ExecutionEvent.OutputFile(path, found.get(path))).toList(),
                new ExecutionEvent.Context(run.startedAt(), run.finishedAt(), null, null));
    }

    /** What the run used, in the units results report; null when it was not measured. */
    private static ExecutionEvent.Usage usage(SandboxRun run) {
        SandboxRun.Usage usage = run.usage();
        return usage == null ? null
                : new ExecutionEvent.Usage(usage.cpu() == null ? null : usage.cpu().toMillis(), usage.peakMemoryBytes() >> 10);
    }

    private static ExecutionEvent.Output output(SandboxRun run) {
        SandboxRun.CapturedStream stdout = run.output().stdout();
        SandboxRun.CapturedStream stderr = run.output().stderr();
        return new ExecutionEvent.Output(stdout.kept(), stdout.droppedBytes(), stderr.kept(), stderr.droppedBytes());
    }

    /** A test's verdict: the run's, or wrong_answer when it ran fine and printed something else. */
    static ExecutionEvent.TestOutcome judgeTest(Job.JobTest test, SandboxRun run, Job.Comparison comparison) {
        ExecutionEvent.ProgramResult judged = judge(run);
        boolean wrong = judged.verdict() == Verdict.ACCEPTED
                && !OutputComparison.matches(comparison, run.output().stdout().kept(), test.expectedOutput());
        return new ExecutionEvent.TestOutcome(test.name(), wrong ? judged.withVerdict(Verdict.WRONG_ANSWER) : judged, output(run));
    }

    /** Accepted when every test is; otherwise the verdict of the first test that is not. */
    static Outcome overall(List<ExecutionEvent.TestOutcome> tests, byte[] compileOutput, Instant started, Instant finished) {
        Verdict verdict = tests.stream().map(t -> t.result().verdict())
                .filter(v -> v != Verdict.ACCEPTED).findFirst().orElse(Verdict.ACCEPTED);
        long wall = tests.stream().mapToLong(t -> t.result().wallTimeMs() == null ? 0 : t.result().wallTimeMs()).sum();
        return new Outcome(ExecutionEvent.ProgramResult.judgedOnly(verdict, wall), ExecutionEvent.Output.NONE,
                new ExecutionEvent.Diagnostics(null, compileOutput), tests, List.of(), List.of(),
                new ExecutionEvent.Context(started, finished, null, null));
    }

    private static String runId(Job job, String step) {
        return job.submissionId() + "-" + step + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * In a manifest's argv, the source file name stands for the submission's entry file; "./" keeps
     * an entry named like an option ("-c") from being read as one.
     */
    private static List<String> withEntryFile(List<String> argv, RuntimeManifest runtime, Job job) {
        List<String> command = new ArrayList<>();
        for (String part : argv) {
            command.add(part.equals(runtime.sourceFile()) ? "./" + job.code().entryFile() : part);
        }
        return command;
    }

    /** The outcome of a compile that did not succeed, timed as one figure; null when it did succeed. */
    static Outcome compileFailure(SandboxRun compiled) {
        String problem = switch (compiled.ending()) {
            case Ending.Exited(int exitCode) -> exitCode == 0 ? null : "the compiler exited with " + exitCode;
            case Ending.TimedOut _ -> "the compiler ran out of time";
            case Ending.OutOfMemory _ -> "the compiler ran out of memory";
            case Ending.OutputExceeded _ -> "the compiler's output or the compiled program is too large";
            case Ending.Cancelled _ -> throw new IllegalArgumentException("a cancelled compile has no outcome");
        };
        if (problem == null) {
            return null;
        }
        return new Outcome(ExecutionEvent.ProgramResult.judgedOnly(Verdict.COMPILE_ERROR, compiled.wallTime().toMillis()),
                ExecutionEvent.Output.NONE, new ExecutionEvent.Diagnostics(problem, compiled.output().stderr().kept()),
                List.of(), List.of(), List.of(),
                new ExecutionEvent.Context(compiled.startedAt(), compiled.finishedAt(), null, timings(compiled.stages().total(), null)));
    }

    /**
     * The verdict and figures of one run: what the executor or the host did to the sandbox, else how
     * the program exited. Killed at a limit, it has no exit status of its own.
     */
    static ExecutionEvent.ProgramResult judge(SandboxRun run) {
        long wallMs = run.wallTime().toMillis();
        return switch (run.ending()) {
            case Ending.Exited(int exitCode) -> new ExecutionEvent.ProgramResult(
                    exitCode == 0 ? Verdict.ACCEPTED : Verdict.RUNTIME_ERROR, exitCode,
                    ExitSignals.of(exitCode), wallMs, usage(run));
            case Ending.TimedOut _ -> killed(Verdict.TIME_LIMIT_EXCEEDED, wallMs, run);
            case Ending.OutputExceeded _ -> killed(Verdict.OUTPUT_LIMIT_EXCEEDED, wallMs, run);
            case Ending.OutOfMemory _ -> killed(Verdict.MEMORY_LIMIT_EXCEEDED, wallMs, run);
            case Ending.Cancelled _ -> throw new IllegalArgumentException("a cancelled run has no verdict");
        };
    }

    private static ExecutionEvent.ProgramResult killed(Verdict verdict, long wallMs, SandboxRun run) {
        return new ExecutionEvent.ProgramResult(verdict, null, "SIGKILL", wallMs, usage(run));
    }
}
