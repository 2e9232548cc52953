package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.live.LiveFeed;
import dev.crucible.executor.live.RecordedLiveOutput;
import dev.crucible.executor.sandbox.Cancellation;
import dev.crucible.executor.sandbox.Ending;
import dev.crucible.executor.sandbox.SandboxException;
import dev.crucible.executor.sandbox.OutputTap;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SandboxSpec;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import dev.crucible.queue.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
    @TempDir
    Path runtimes;

    private static final SandboxRun.Stages COMPILE_STAGES = SandboxRun.Stages.of(
            Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(800), Duration.ofMillis(30), false);

    private RuntimeCatalog catalog() throws Exception {
        Files.writeString(runtimes.resolve("python.json"), """
                {"name":"python","version":"3.11","packages":["python3-minimal"],"source_file":"main.py",
                 "run":["python3","main.py"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
        Files.writeString(runtimes.resolve("c.json"), """
                {"name":"c","version":"12","packages":["gcc"],"source_file":"main.c",
                 "compile":["gcc","-o","main","main.c"],"compile_limits":{"wall_time_ms":9000,"memory_mb":512},
                 "compile_options":["-O[0-3]","-D[A-Z]+=[0-9]+"],"run":["./main"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
        return RuntimeCatalog.load(runtimes);
    }

    private static byte[] tarOf(String name, byte[] content, int mode) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
            entry.setMode(mode);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./escape",
                    org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static SandboxRun compiledRun(byte[] artifact, int exit) {
        return SandboxRuns.exited(exit).stdout(artifact).stderr("warning: x\n").stages(COMPILE_STAGES).build();
    }

    @Test
    void compiledProgramRunsInAFreshSandboxWithWhatTheCompilerMade() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        byte[] binary = {0x7f, 'E', 'L', 'F'};
        byte[] artifact = tarOf("./main", binary, 0100755);
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return specs.size() == 1 ? compiledRun(artifact, 0) : SandboxRuns.exited(0).build();
        }, Clock.systemUTC());
        var outcome = runner.execute(job("c", "main.c", List.of("x")));
        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        assertEquals("warning: x\n", new String(outcome.diagnostics().compileOutput()));
        SandboxSpec compile = specs.get(0);
        assertEquals(List.of("gcc", "-o", "main", "./main.c"), compile.command().subList(4, 8));
        assertEquals(Duration.ofMillis(9000), compile.limits().wallTime());
        SandboxSpec run = specs.get(1);
        assertEquals(List.of("./main", "x"), run.command());
        assertEquals(1, run.files().size(), "links in the compiled folder are dropped");
        assertEquals("main", run.files().getFirst().path());
        assertTrue(run.files().getFirst().executable());
    }

    @Test
    void liveOutputNamesEachTestAndLeavesTheCompiledFolderOut() throws Exception {
        RecordedLiveOutput recorded = new RecordedLiveOutput();
        byte[] artifact = tarOf("./main", new byte[] {0x7f, 'E', 'L', 'F'}, 0100755);
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            boolean compile = spec.runId().contains("-compile-");
            spec.output().live().take(OutputTap.Stream.STDOUT, compile ? artifact : "ok\n".getBytes());
            spec.output().live().take(OutputTap.Stream.STDERR, compile ? "warning: x\n".getBytes() : new byte[0]);
            return compile ? compiledRun(artifact, 0) : printed("ok\n", 0);
        }, Clock.systemUTC(), "executor", "runsc", JobRunner.SUBMISSION_OUTPUT_BYTES, JobRunner.Retries.NEVER,
                new LiveFeed.Settings(recorded, 1 << 20));
        Job plain = job("c", "main.c", List.of());
        runner.execute(new Job(plain.submissionId(), plain.runtime(), plain.code(), plain.input(), plain.limits(),
                new Job.Testing(List.of(new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok".getBytes())),
                        Job.Comparison.TRAILING_WHITESPACE), plain.options()));
        assertEquals(List.of("compile stderr null warning: x\n", "run stdout 0 ok\n", "run stdout 1 ok\n"), recorded.chunks.stream()
                .map(c -> c.stage().wireName() + " " + c.stream().wireName() + " " + c.test() + " " + c.text()).toList());
    }

    private static Job withCompileOptions(Job job, List<String> options) {
        return new Job(job.submissionId(), job.runtime(), new Job.Code(job.code().files(), job.code().entryFile(), options),
                job.input(), job.limits(), job.testing(), job.options());
    }

    @Test
    void compileOptionsComeAfterTheManifestsCommand() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        byte[] artifact = tarOf("./main", new byte[] {0x7f, 'E', 'L', 'F'}, 0100755);
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return specs.size() == 1 ? compiledRun(artifact, 0) : SandboxRuns.exited(0).build();
        }, Clock.systemUTC());
        runner.execute(withCompileOptions(job("c", "main.c", List.of()), List.of("-O0", "-DN=1")));
        assertEquals(List.of("gcc", "-o", "main", "./main.c", "-O0", "-DN=1"), specs.getFirst().command().subList(4, 10));
    }

    @Test
    void compileOptionTheManifestDoesNotAllowRunsNothing() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return SandboxRuns.exited(0).build();
        }, Clock.systemUTC());
        var outcome = runner.execute(withCompileOptions(job("c", "main.c", List.of()), List.of("-O0", "-fplugin=./evil.so")));
        assertEquals(Verdict.INTERNAL_ERROR, outcome.verdict());
        assertTrue(specs.isEmpty(), "no sandbox may start for an option the manifest does not allow");
    }

    private static SandboxRun printed(String stdout, int exit) {
        return SandboxRuns.exited(exit).stdout(stdout).build();
    }

    @Test
    void eachTestRunsWithItsOwnInputAndGetsItsOwnVerdict() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            String in = new String(spec.stdin());
            SandboxRuns run = in.equals("crash") ? SandboxRuns.exited(1) : SandboxRuns.exited(0).stdout(in.equals("2") ? "4\n" : "5\n");
            return run.wallTime(Duration.ofMillis(100)).build();
        }, Clock.systemUTC());
        Job job = testedJob(List.of("-v"), Job.Comparison.TRAILING_WHITESPACE,
                new Job.JobTest("two", "2".getBytes(), null, "4".getBytes()),
                new Job.JobTest("three", "3".getBytes(), List.of("-q"), "9".getBytes()),
                new Job.JobTest("boom", "crash".getBytes(), null, "".getBytes()));
        var outcome = runner.execute(job);
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.WRONG_ANSWER, Verdict.RUNTIME_ERROR),
                outcome.tests().stream().map(t -> t.result().verdict()).toList());
        assertEquals(Verdict.WRONG_ANSWER, outcome.verdict(), "the first failing test decides");
        assertEquals(List.of("python3", "./main.py", "-v"), specs.get(0).command(), "a test without args takes the submission's");
        assertEquals(List.of("python3", "./main.py", "-q"), specs.get(1).command());
        assertEquals(300L, outcome.result().wallTimeMs());
    }

    @Test
    void allTestsPassingIsAccepted() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> printed("ok\n", 0), Clock.systemUTC());
        Job job = testedJob(List.of(), Job.Comparison.EXACT,
                new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok\n".getBytes()));
        var outcome = runner.execute(job);
        assertEquals(Verdict.WRONG_ANSWER, outcome.tests().get(0).result().verdict(), "exact comparison sees the newline");
        assertEquals(Verdict.ACCEPTED, outcome.tests().get(1).result().verdict());
    }

    @Test
    void cancelledCompileRunsNothingAfterIt() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return SandboxRuns.ended(Ending.CANCELLED).build();
        }, Clock.systemUTC());
        assertEquals(Verdict.INTERNAL_ERROR, runner.execute(job("c", "main.c", List.of()), () -> true, Interlude.NONE).verdict());
        assertEquals(1, specs.size());
    }

    @Test
    void failedCompileIsACompileErrorAndNothingRuns() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return compiledRun(new byte[0], 1);
        }, Clock.systemUTC());
        var outcome = runner.execute(job("c", "main.c", List.of()));
        assertEquals(Verdict.COMPILE_ERROR, outcome.verdict());
        assertEquals("warning: x\n", new String(outcome.diagnostics().compileOutput()));
        assertEquals(1, specs.size(), "the program must not run");
    }

    @Test
    void compileIsTimedApartFromTheStagesOfTheRun() throws Exception {
        byte[] artifact = tarOf("./main", new byte[] {0x7f, 'E', 'L', 'F'}, 0100755);
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return specs.size() == 1 ? compiledRun(artifact, 0) : SandboxRuns.exited(0).build();
        }, Clock.systemUTC());
        var timings = runner.execute(job("c", "main.c", List.of())).context().timings();
        assertEquals(new ExecutionEvent.StageTimings(940L, 1L, 2L, 250L, 5L, "miss"), timings,
                "compile is the compile sandbox's whole life; the stages are the run sandbox's alone");
    }

    @Test
    void interludeComesBetweenTestsNeverBeforeTheFirstNorAfterTheLast() throws Exception {
        List<String> happened = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            happened.add("test");
            return printed("ok\n", 0);
        }, Clock.systemUTC());
        Job job = testedJob(List.of(), Job.Comparison.TRAILING_WHITESPACE,
                new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok".getBytes()),
                new Job.JobTest("c", null, null, "ok".getBytes()));
        runner.execute(job, Cancellation.NEVER, () -> happened.add("interlude"));
        assertEquals(List.of("test", "interlude", "test", "interlude", "test"), happened);
    }

    @Test
    void interludeComesBetweenRepeatedRuns() throws Exception {
        List<String> happened = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            happened.add("run");
            return SandboxRuns.exited(0).build();
        }, Clock.systemUTC());
        runner.execute(repeatedJob(2, List.of()), Cancellation.NEVER, () -> happened.add("interlude"));
        assertEquals(List.of("run", "interlude", "run"), happened);
    }

    @Test
    void stagesAreSummedOverTheSandboxesOfTheTests() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> printed("ok\n", 0), Clock.systemUTC());
        Job job = testedJob(List.of(), Job.Comparison.TRAILING_WHITESPACE,
                new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok".getBytes()),
                new Job.JobTest("c", null, null, "ok".getBytes()));
        assertEquals(new ExecutionEvent.StageTimings(null, 4L, 6L, 750L, 15L, "miss"), runner.execute(job).context().timings(),
                "3 x 1.6 ms of create is 4 ms: the sum is rounded, not each sandbox");
    }

    @Test
    void theRunIsAPoolHitOnlyWhenEveryTestsSandboxCameFromThePool() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> runs.incrementAndGet() == 2
                ? SandboxRuns.exited(0).stdout("ok\n").build() : SandboxRuns.exited(0).stdout("ok\n").pooled().build(),
                Clock.systemUTC());
        Job job = testedJob(List.of(), Job.Comparison.TRAILING_WHITESPACE,
                new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok".getBytes()));
        assertEquals("miss", runner.execute(job).context().timings().pool(), "the second test's sandbox was started for it");
        JobRunner allPooled = new JobRunner(catalog(), (spec, cancellation) -> SandboxRuns.exited(0).stdout("ok\n").pooled().build(),
                Clock.systemUTC());
        assertEquals("hit", allPooled.execute(job).context().timings().pool());
    }

    @Test
    void failedCompileIsTimedAndNoRunStagesAreReported() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> compiledRun(new byte[0], 1), Clock.systemUTC());
        assertEquals(new ExecutionEvent.StageTimings(940L, null, null, null, null, null),
                runner.execute(job("c", "main.c", List.of())).context().timings());
    }

    @Test
    void sandboxFailureReportsNoTimings() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            throw new SandboxException("proxy refused", null);
        }, Clock.systemUTC());
        assertNull(runner.execute(job("python", "main.py", List.of())).context().timings());
    }

    private static Job budgeted(Job job, long sandboxMs) {
        Job.JobLimits l = job.limits();
        return new Job(job.submissionId(), job.runtime(), job.code(), job.input(),
                new Job.JobLimits(l.wallTimeMs(), l.memoryMb(), l.outputBytes(), sandboxMs), job.testing(), job.options());
    }

    private static Job.JobTest[] tests(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> new Job.JobTest("t" + i, null, null, "ok".getBytes()))
                .toArray(Job.JobTest[]::new);
    }

    @Test
    void jobPastItsBudgetRunsNoMoreTests() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return SandboxRuns.exited(0).stdout("ok\n").wallTime(Duration.ofMillis(400)).build();
        }, Clock.systemUTC());
        var outcome = runner.execute(budgeted(testedJob(List.of(), Job.Comparison.EXACT, tests(5)), 1000));
        assertEquals(3, specs.size(), "400 + 400 ms is under the 1000 ms budget, 1200 ms is past it");
        assertEquals(3, outcome.tests().size(), "only the tests that ran are reported");
    }

    @Test
    void jobStoppedAtItsBudgetSaysSoAndIsNotAccepted() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> SandboxRuns.exited(0).stdout("ok")
                .wallTime(Duration.ofMillis(400)).build(), Clock.systemUTC());
        var outcome = runner.execute(budgeted(testedJob(List.of(), Job.Comparison.EXACT, tests(5)), 1000));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, outcome.verdict());
        assertEquals("the submission's sandbox-time budget of 1000 ms was used up (1200 ms) after 3 of 5 tests; "
                + "the other 2 were not run", outcome.diagnostics().message());
    }

    @Test
    void compileTimeCountsAgainstTheBudget() throws Exception {
        byte[] artifact = tarOf("./main", new byte[] {0x7f, 'E', 'L', 'F'}, 0100755);
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return specs.size() == 1 ? compiledRun(artifact, 0) : SandboxRuns.exited(0).stdout("ok").build();
        }, Clock.systemUTC());
        Job c = job("c", "main.c", List.of());
        Job tested = new Job(c.submissionId(), c.runtime(), c.code(), c.input(), c.limits(),
                new Job.Testing(List.of(tests(3)), Job.Comparison.EXACT), c.options());
        runner.execute(budgeted(tested, 1000));
        assertEquals(2, specs.size(), "the 800 ms compile and a 250 ms test use the 1000 ms budget up");
    }

    @Test
    void repeatedRunsStopAtTheBudget() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return SandboxRuns.exited(0).wallTime(Duration.ofMillis(600)).build();
        }, Clock.systemUTC());
        var outcome = runner.execute(budgeted(repeatedJob(4, List.of()), 1000));
        assertEquals(2, specs.size());
        assertEquals(2, outcome.runs().size());
    }

    @Test
    void jobWithoutABudgetRunsEveryTestAtItsWorstCase() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return SandboxRuns.ended(Ending.TIMED_OUT).wallTime(Duration.ofMillis(1350)).build();
        }, Clock.systemUTC());
        var outcome = runner.execute(testedJob(List.of(), Job.Comparison.EXACT, tests(4)));
        assertEquals(4, specs.size(), "4 tests killed at their 1000 ms wall limit are the 4000 ms worst case however late each kill lands");
        assertNull(outcome.diagnostics().message());
    }

    private static JobRunner printing(RuntimeCatalog catalog, String stdout, String stderr, long cap) {
        return new JobRunner(catalog, (spec, cancellation) -> SandboxRuns.exited(0).stdout(stdout).stderr(stderr).build(),
                Clock.systemUTC(), "executor", "runsc", cap, JobRunner.Retries.NEVER, LiveFeed.Settings.OFF);
    }

    @Test
    void testsPastTheSubmissionOutputCapKeepNoBytesAndCountThemTruncated() throws Exception {
        JobRunner runner = printing(catalog(), "ok12345678", "e1234", 25);
        var outcome = runner.execute(testedJob(List.of(), Job.Comparison.EXACT, tests(3)));
        var third = outcome.tests().get(2).output();
        assertEquals(0, third.stdout().length);
        assertEquals(10, third.stdoutTruncatedBytes());
        assertEquals(0, third.stderr().length);
        assertEquals(5, third.stderrTruncatedBytes());
    }

    @Test
    void theTestReachingTheSubmissionOutputCapKeepsWhatFits() throws Exception {
        JobRunner runner = printing(catalog(), "ok12345678", "e1234", 25);
        var second = runner.execute(testedJob(List.of(), Job.Comparison.EXACT, tests(3))).tests().get(1).output();
        assertEquals("ok12345678", new String(second.stdout()));
        assertEquals("", new String(second.stderr()), "15 + 10 bytes reach the cap of 25");
        assertEquals(5, second.stderrTruncatedBytes());
    }

    @Test
    void testsAreJudgedOnTheirWholeOutputPastTheCap() throws Exception {
        JobRunner runner = printing(catalog(), "ok", "", 1);
        var outcome = runner.execute(testedJob(List.of(), Job.Comparison.EXACT, tests(2)));
        assertEquals(Verdict.ACCEPTED, outcome.tests().get(1).result().verdict());
    }

    @Test
    void aRunPastTheSubmissionOutputCapCountsTheRestTruncated() throws Exception {
        JobRunner runner = printing(catalog(), "0123456789", "", 4);
        var output = runner.execute(job("python", "main.py", List.of())).output();
        assertEquals("0123", new String(output.stdout()));
        assertEquals(6, output.stdoutTruncatedBytes());
    }

    private static Job job(String runtime, String entry, List<String> args) {
        return new Job(UUID.randomUUID(), runtime, new Job.Code(List.of(new Job.JobFile(entry, new byte[0])), entry),
                new Job.Input(new byte[0], args), new Job.JobLimits(1000, 64, 1024), Job.Testing.NONE, Job.RunOptions.ONCE);
    }

    private static Job repeatedJob(int runs, List<String> outputFiles) {
        Job once = job("python", "main.py", List.of());
        return new Job(once.submissionId(), once.runtime(), once.code(), once.input(), once.limits(), once.testing(),
                new Job.RunOptions(false, runs, outputFiles));
    }

    private static Job testedJob(List<String> args, Job.Comparison comparison, Job.JobTest... tests) {
        Job once = job("python", "main.py", args);
        return new Job(once.submissionId(), once.runtime(), once.code(), once.input(), once.limits(),
                new Job.Testing(List.of(tests), comparison), once.options());
    }

    private static SandboxRun measured(SandboxRuns run, long cpuMs, Map<String, byte[]> files) {
        return run.usage(Duration.ofMillis(cpuMs), 2 << 20).outputFiles(files).build();
    }

    @Test
    void eachRunIsAFreshSandboxWithItsOwnFigures() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return measured(SandboxRuns.exited(0), 10L * specs.size(), Map.of());
        }, Clock.systemUTC());
        var outcome = runner.execute(repeatedJob(3, List.of("out.txt")));
        assertEquals(3, specs.stream().map(SandboxSpec::runId).distinct().count());
        assertEquals(List.of(new SandboxSpec.Collect.Files(List.of("out.txt")), SandboxSpec.Collect.NOTHING, SandboxSpec.Collect.NOTHING),
                specs.stream().map(s -> s.output().collect()).toList(),
                "only the first run collects output files");
        assertEquals(List.of(10L, 20L, 30L), outcome.runs().stream().map(r -> r.usage().cpuTimeMs()).toList());
        assertEquals(new ExecutionEvent.Usage(10L, 2048), outcome.result().usage(), "the submission shows the first run");
    }

    @Test
    void theFirstFailingRunSpeaksForTheSubmission() {
        var outcome = JobRunner.repeated(repeatedJob(3, List.of()), List.of(measured(SandboxRuns.exited(0), 10, Map.of()),
                measured(SandboxRuns.ended(Ending.TIMED_OUT), 990, Map.of()), measured(SandboxRuns.exited(1), 5, Map.of())), null);
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, outcome.verdict());
        assertEquals(990L, outcome.result().usage().cpuTimeMs());
    }

    @Test
    void outputFilesComeInTheOrderAskedWithTheMissingOnesEmpty() {
        var outcome = JobRunner.repeated(repeatedJob(1, List.of("b.txt", "missing", "a.txt")),
                List.of(measured(SandboxRuns.exited(0), 10, Map.of("a.txt", "A".getBytes(), "b.txt", "B".getBytes()))), null);
        assertEquals(List.of("b.txt", "missing", "a.txt"), outcome.outputFiles().stream().map(f -> f.path()).toList());
        assertNull(outcome.outputFiles().get(1).content());
        assertEquals("B", new String(outcome.outputFiles().get(0).content()));
    }

    @Test
    void aSingleRunListsNoRuns() {
        assertTrue(JobRunner.repeated(repeatedJob(1, List.of()), List.of(measured(SandboxRuns.exited(0), 10, Map.of())), null)
                .runs().isEmpty());
    }

    @Test
    void timeoutIsTimeLimitExceeded() {
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, JobRunner.judge(SandboxRuns.ended(Ending.TIMED_OUT).build()).verdict());
    }

    @Test
    void outputFloodIsOutputLimitExceeded() {
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, JobRunner.judge(SandboxRuns.ended(Ending.OUTPUT_EXCEEDED).build()).verdict());
    }

    @Test
    void oomKillIsMemoryLimitExceeded() {
        var outcome = JobRunner.judge(SandboxRuns.ended(Ending.OUT_OF_MEMORY).build());
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, outcome.verdict());
        assertEquals("SIGKILL", outcome.signal());
    }

    @Test
    void oomKillHasNoExitStatusOfItsOwn() {
        assertNull(JobRunner.judge(SandboxRuns.ended(Ending.OUT_OF_MEMORY).build()).exitCode());
    }

    @Test
    void exitZeroIsAccepted() {
        var outcome = JobRunner.judge(SandboxRuns.exited(0).build());
        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        assertEquals(250L, outcome.wallTimeMs());
        assertNull(outcome.signal());
    }

    @Test
    void segfaultIsARuntimeErrorWithItsSignal() {
        var outcome = JobRunner.judge(SandboxRuns.exited(139).build());
        assertEquals(Verdict.RUNTIME_ERROR, outcome.verdict());
        assertEquals("SIGSEGV", outcome.signal());
    }

    @Test
    void killedForALimitHasNoExitCode() {
        assertNull(JobRunner.judge(SandboxRuns.ended(Ending.TIMED_OUT).build()).exitCode());
    }

    @Test
    void entryFileAndArgsFollowTheRunCommandAsSeparateArguments() throws Exception {
        AtomicReference<SandboxSpec> seen = new AtomicReference<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            seen.set(spec);
            return SandboxRuns.exited(0).build();
        }, Clock.systemUTC());
        runner.execute(job("python", "-c", List.of("a b", "$(x)")));
        assertEquals(List.of("python3", "./-c", "a b", "$(x)"), seen.get().command());
    }

    private JobRunner retrying(int attempts, dev.crucible.executor.sandbox.Sandbox sandbox, List<String> recoveries) throws Exception {
        return new JobRunner(catalog(), sandbox, Clock.systemUTC(), "executor", "runsc", JobRunner.SUBMISSION_OUTPUT_BYTES,
                new JobRunner.Retries(attempts, Duration.ofMinutes(1), Duration.ZERO, (failure, limit) -> recoveries.add(failure)), LiveFeed.Settings.OFF);
    }

    @Test
    void machineryFailureRunsTheJobAgainFromTheStart() throws Exception {
        List<String> recoveries = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        JobRunner runner = retrying(3, (spec, cancellation) -> {
            if (runs.incrementAndGet() == 1) {
                throw new SandboxException("Docker failed to start: 502", null);
            }
            return printed("ok\n", 0);
        }, recoveries);
        var outcome = runner.execute(job("python", "main.py", List.of()));
        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        assertEquals("ok\n", new String(outcome.output().stdout()));
        assertEquals(List.of("Docker failed to start: 502"), recoveries);
    }

    @Test
    void machineryFailingOnEveryAttemptIsAnInternalErrorThatSaysSo() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        JobRunner runner = retrying(3, (spec, cancellation) -> {
            runs.incrementAndGet();
            throw new SandboxException("Docker failed to create: 503", null);
        }, new java.util.ArrayList<>());
        var outcome = runner.execute(job("python", "main.py", List.of()));
        assertEquals(3, runs.get());
        assertEquals(Verdict.INTERNAL_ERROR, outcome.verdict());
        assertTrue(outcome.diagnostics().message().contains("infrastructure failed on each of 3 attempts")
                && outcome.diagnostics().message().endsWith("Docker failed to create: 503"), outcome.diagnostics().message());
    }

    @Test
    void noAttemptIsMadeWhileTheSandboxHostHasNotRecovered() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            runs.incrementAndGet();
            throw new SandboxException("proxy unreachable", null);
        }, Clock.systemUTC(), "executor", "runsc", JobRunner.SUBMISSION_OUTPUT_BYTES,
                new JobRunner.Retries(5, Duration.ofMinutes(1), Duration.ZERO, (failure, limit) -> false), LiveFeed.Settings.OFF);
        assertEquals(Verdict.INTERNAL_ERROR, runner.execute(job("python", "main.py", List.of())).verdict());
        assertEquals(1, runs.get());
    }

    @Test
    void aProgramsOwnFailureIsNotRunAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        JobRunner runner = retrying(3, (spec, cancellation) -> {
            runs.incrementAndGet();
            return SandboxRuns.exited(1).build();
        }, new java.util.ArrayList<>());
        assertEquals(Verdict.RUNTIME_ERROR, runner.execute(job("python", "main.py", List.of())).verdict());
        assertEquals(1, runs.get());
    }

    @Test
    void sandboxFailureIsAnInternalError() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            throw new SandboxException("proxy refused", null);
        }, Clock.systemUTC());
        var outcome = runner.execute(job("python", "main.py", List.of()));
        assertEquals(Verdict.INTERNAL_ERROR, outcome.verdict());
        assertEquals("proxy refused", outcome.diagnostics().message());
    }

    @Test
    void runtimeUnknownToTheExecutorIsAnInternalError() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> SandboxRuns.exited(0).build(), Clock.systemUTC());
        assertEquals(Verdict.INTERNAL_ERROR, runner.execute(job("cobol", "main.cob", List.of())).verdict());
    }
}
