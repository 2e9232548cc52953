package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.sandbox.SandboxException;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
    @TempDir
    Path runtimes;

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** A program sandbox's stages; create is 1.6 ms, so that rounding each sandbox instead of the sum would show. */
    private static final SandboxRun.Stages STAGES = new SandboxRun.Stages(
            Duration.ofNanos(1_600_000), Duration.ofMillis(2), Duration.ofMillis(250), Duration.ofMillis(5));
    private static final SandboxRun.Stages COMPILE_STAGES = new SandboxRun.Stages(
            Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(800), Duration.ofMillis(30));

    private static SandboxRun run(int exit, boolean timedOut, boolean overflow, boolean oom) {
        var empty = new SandboxRun.CapturedStream(new byte[0], 0);
        return new SandboxRun(exit, timedOut, overflow, oom, false, empty, empty, T0, T0.plusMillis(250), "sha256:test", STAGES, null, null);
    }

    private RuntimeCatalog catalog() throws Exception {
        Files.writeString(runtimes.resolve("python.json"), """
                {"name":"python","version":"3.11","packages":["python3-minimal"],"source_file":"main.py",
                 "run":["python3","main.py"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
        Files.writeString(runtimes.resolve("c.json"), """
                {"name":"c","version":"12","packages":["gcc"],"source_file":"main.c",
                 "compile":["gcc","-o","main","main.c"],"compile_limits":{"wall_time_ms":9000,"memory_mb":512},
                 "run":["./main"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
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
        return new SandboxRun(exit, false, false, false, false, new SandboxRun.CapturedStream(artifact, 0),
                new SandboxRun.CapturedStream("warning: x\n".getBytes(), 0), T0, T0.plusMillis(900), "sha256:test", COMPILE_STAGES, null, null);
    }

    @Test
    void compiledProgramRunsInAFreshSandboxWithWhatTheCompilerMade() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        byte[] binary = {0x7f, 'E', 'L', 'F'};
        byte[] artifact = tarOf("./main", binary, 0100755);
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return specs.size() == 1 ? compiledRun(artifact, 0) : run(0, false, false, false);
        }, Clock.systemUTC());
        var outcome = runner.execute(job("c", "main.c", List.of("x")));
        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        assertEquals("warning: x\n", new String(outcome.compileOutput()));
        SandboxSpec compile = specs.get(0);
        assertEquals(List.of("gcc", "-o", "main", "./main.c"), compile.command().subList(4, 8));
        assertEquals(Duration.ofMillis(9000), compile.wallTime());
        SandboxSpec run = specs.get(1);
        assertEquals(List.of("./main", "x"), run.command());
        assertEquals(1, run.files().size(), "links in the compiled folder are dropped");
        assertEquals("main", run.files().getFirst().path());
        assertTrue(run.files().getFirst().executable());
    }

    private static SandboxRun printed(String stdout, int exit) {
        return new SandboxRun(exit, false, false, false, false, new SandboxRun.CapturedStream(stdout.getBytes(), 0),
                new SandboxRun.CapturedStream(new byte[0], 0), T0, T0.plusMillis(100), "sha256:test", STAGES, null, null);
    }

    @Test
    void eachTestRunsWithItsOwnInputAndGetsItsOwnVerdict() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            String in = new String(spec.stdin());
            return in.equals("crash") ? printed("", 1) : printed(in.equals("2") ? "4\n" : "5\n", 0);
        }, Clock.systemUTC());
        Job job = new Job(UUID.randomUUID(), "python", List.of(new Job.JobFile("main.py", new byte[0])), "main.py",
                new byte[0], List.of("-v"), new Job.JobLimits(1000, 64, 1024), List.of(
                        new Job.JobTest("two", "2".getBytes(), null, "4".getBytes()),
                        new Job.JobTest("three", "3".getBytes(), List.of("-q"), "9".getBytes()),
                        new Job.JobTest("boom", "crash".getBytes(), null, "".getBytes())),
                Job.Comparison.TRAILING_WHITESPACE, false, 1, List.of());
        var outcome = runner.execute(job);
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.WRONG_ANSWER, Verdict.RUNTIME_ERROR),
                outcome.tests().stream().map(t -> t.verdict()).toList());
        assertEquals(Verdict.WRONG_ANSWER, outcome.verdict(), "the first failing test decides");
        assertEquals(List.of("python3", "./main.py", "-v"), specs.get(0).command(), "a test without args takes the submission's");
        assertEquals(List.of("python3", "./main.py", "-q"), specs.get(1).command());
        assertEquals(300L, outcome.wallTimeMs());
    }

    @Test
    void allTestsPassingIsAccepted() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> printed("ok\n", 0), Clock.systemUTC());
        Job job = new Job(UUID.randomUUID(), "python", List.of(new Job.JobFile("main.py", new byte[0])), "main.py",
                new byte[0], List.of(), new Job.JobLimits(1000, 64, 1024),
                List.of(new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok\n".getBytes())),
                Job.Comparison.EXACT, false, 1, List.of());
        var outcome = runner.execute(job);
        assertEquals(Verdict.WRONG_ANSWER, outcome.tests().get(0).verdict(), "exact comparison sees the newline");
        assertEquals(Verdict.ACCEPTED, outcome.tests().get(1).verdict());
    }

    @Test
    void cancelledCompileRunsNothingAfterIt() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return new SandboxRun(137, false, false, false, true, new SandboxRun.CapturedStream(new byte[0], 0),
                    new SandboxRun.CapturedStream(new byte[0], 0), T0, T0.plusMillis(10), "sha256:test", STAGES, null, null);
        }, Clock.systemUTC());
        assertEquals(Verdict.INTERNAL_ERROR, runner.execute(job("c", "main.c", List.of()), () -> true).verdict());
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
        assertEquals("warning: x\n", new String(outcome.compileOutput()));
        assertEquals(1, specs.size(), "the program must not run");
    }

    @Test
    void compileIsTimedApartFromTheStagesOfTheRun() throws Exception {
        byte[] artifact = tarOf("./main", new byte[] {0x7f, 'E', 'L', 'F'}, 0100755);
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return specs.size() == 1 ? compiledRun(artifact, 0) : run(0, false, false, false);
        }, Clock.systemUTC());
        var timings = runner.execute(job("c", "main.c", List.of())).timings();
        assertEquals(new ExecutionEvent.StageTimings(940L, 1L, 2L, 250L, 5L), timings,
                "compile is the compile sandbox's whole life; the stages are the run sandbox's alone");
    }

    @Test
    void stagesAreSummedOverTheSandboxesOfTheTests() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> printed("ok\n", 0), Clock.systemUTC());
        Job job = new Job(UUID.randomUUID(), "python", List.of(new Job.JobFile("main.py", new byte[0])), "main.py",
                new byte[0], List.of(), new Job.JobLimits(1000, 64, 1024), List.of(
                        new Job.JobTest("a", null, null, "ok".getBytes()), new Job.JobTest("b", null, null, "ok".getBytes()),
                        new Job.JobTest("c", null, null, "ok".getBytes())),
                Job.Comparison.TRAILING_WHITESPACE, false, 1, List.of());
        assertEquals(new ExecutionEvent.StageTimings(null, 4L, 6L, 750L, 15L), runner.execute(job).timings(),
                "3 x 1.6 ms of create is 4 ms: the sum is rounded, not each sandbox");
    }

    @Test
    void failedCompileIsTimedAndNoRunStagesAreReported() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> compiledRun(new byte[0], 1), Clock.systemUTC());
        assertEquals(new ExecutionEvent.StageTimings(940L, null, null, null, null),
                runner.execute(job("c", "main.c", List.of())).timings());
    }

    @Test
    void sandboxFailureReportsNoTimings() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            throw new SandboxException("proxy refused", null);
        }, Clock.systemUTC());
        assertNull(runner.execute(job("python", "main.py", List.of())).timings());
    }

    private static Job job(String runtime, String entry, List<String> args) {
        return new Job(UUID.randomUUID(), runtime, List.of(new Job.JobFile(entry, new byte[0])), entry, new byte[0], args,
                new Job.JobLimits(1000, 64, 1024), List.of(), null, false, 1, List.of());
    }

    private static Job repeatedJob(int runs, List<String> outputFiles) {
        return new Job(UUID.randomUUID(), "python", List.of(new Job.JobFile("main.py", new byte[0])), "main.py", new byte[0],
                List.of(), new Job.JobLimits(1000, 64, 1024), List.of(), null, false, runs, outputFiles);
    }

    private static SandboxRun measured(int exit, boolean timedOut, long cpuMs, Map<String, byte[]> files) {
        var empty = new SandboxRun.CapturedStream(new byte[0], 0);
        return new SandboxRun(exit, timedOut, false, false, false, empty, empty, T0, T0.plusMillis(250), "sha256:test", STAGES,
                new SandboxRun.Usage(Duration.ofMillis(cpuMs), 2 << 20), files);
    }

    @Test
    void eachRunIsAFreshSandboxWithItsOwnFigures() throws Exception {
        List<SandboxSpec> specs = new java.util.ArrayList<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            specs.add(spec);
            return measured(0, false, 10L * specs.size(), Map.of());
        }, Clock.systemUTC());
        var outcome = runner.execute(repeatedJob(3, List.of("out.txt")));
        assertEquals(3, specs.stream().map(SandboxSpec::runId).distinct().count());
        assertEquals(List.of(List.of("out.txt"), List.of(), List.of()), specs.stream().map(SandboxSpec::outputFiles).toList(),
                "only the first run collects output files");
        assertEquals(List.of(10L, 20L, 30L), outcome.runs().stream().map(r -> r.usage().cpuTimeMs()).toList());
        assertEquals(new ExecutionEvent.Usage(10L, 2048), outcome.usage(), "the submission shows the first run");
    }

    @Test
    void theFirstFailingRunSpeaksForTheSubmission() {
        var outcome = JobRunner.repeated(repeatedJob(3, List.of()), List.of(
                measured(0, false, 10, Map.of()), measured(137, true, 990, Map.of()), measured(1, false, 5, Map.of())));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, outcome.verdict());
        assertEquals(990L, outcome.usage().cpuTimeMs());
    }

    @Test
    void outputFilesComeInTheOrderAskedWithTheMissingOnesEmpty() {
        var outcome = JobRunner.repeated(repeatedJob(1, List.of("b.txt", "missing", "a.txt")),
                List.of(measured(0, false, 10, Map.of("a.txt", "A".getBytes(), "b.txt", "B".getBytes()))));
        assertEquals(List.of("b.txt", "missing", "a.txt"), outcome.outputFiles().stream().map(f -> f.path()).toList());
        assertNull(outcome.outputFiles().get(1).content());
        assertEquals("B", new String(outcome.outputFiles().get(0).content()));
    }

    @Test
    void aSingleRunListsNoRuns() {
        assertTrue(JobRunner.repeated(repeatedJob(1, List.of()), List.of(measured(0, false, 10, Map.of()))).runs().isEmpty());
    }

    @Test
    void timeoutWinsOverEverythingElse() {
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, JobRunner.judge(run(137, true, true, true)).verdict());
    }

    @Test
    void outputFloodWinsOverMemory() {
        assertEquals(Verdict.OUTPUT_LIMIT_EXCEEDED, JobRunner.judge(run(137, false, true, true)).verdict());
    }

    @Test
    void oomKillIsMemoryLimitExceeded() {
        var outcome = JobRunner.judge(run(137, false, false, true));
        assertEquals(Verdict.MEMORY_LIMIT_EXCEEDED, outcome.verdict());
        assertEquals("SIGKILL", outcome.signal());
    }

    @Test
    void oomKillHasNoExitStatusOfItsOwn() {
        assertNull(JobRunner.judge(run(0, false, false, true)).exitCode());
    }

    @Test
    void exitZeroIsAccepted() {
        var outcome = JobRunner.judge(run(0, false, false, false));
        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        assertEquals(250L, outcome.wallTimeMs());
        assertNull(outcome.signal());
    }

    @Test
    void segfaultIsARuntimeErrorWithItsSignal() {
        var outcome = JobRunner.judge(run(139, false, false, false));
        assertEquals(Verdict.RUNTIME_ERROR, outcome.verdict());
        assertEquals("SIGSEGV", outcome.signal());
    }

    @Test
    void killedForALimitHasNoExitCode() {
        assertNull(JobRunner.judge(run(137, true, false, false)).exitCode());
    }

    @Test
    void entryFileAndArgsFollowTheRunCommandAsSeparateArguments() throws Exception {
        AtomicReference<SandboxSpec> seen = new AtomicReference<>();
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            seen.set(spec);
            return run(0, false, false, false);
        }, Clock.systemUTC());
        runner.execute(job("python", "-c", List.of("a b", "$(x)")));
        assertEquals(List.of("python3", "./-c", "a b", "$(x)"), seen.get().command());
    }

    @Test
    void sandboxFailureIsAnInternalError() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> {
            throw new SandboxException("proxy refused", null);
        }, Clock.systemUTC());
        var outcome = runner.execute(job("python", "main.py", List.of()));
        assertEquals(Verdict.INTERNAL_ERROR, outcome.verdict());
        assertEquals("proxy refused", outcome.message());
    }

    @Test
    void runtimeUnknownToTheExecutorIsAnInternalError() throws Exception {
        JobRunner runner = new JobRunner(catalog(), (spec, cancellation) -> run(0, false, false, false), Clock.systemUTC());
        assertEquals(Verdict.INTERNAL_ERROR, runner.execute(job("cobol", "main.cob", List.of())).verdict());
    }
}
