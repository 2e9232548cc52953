package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.sandbox.Ending;
import dev.crucible.executor.sandbox.SandboxSpec;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import dev.crucible.queue.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project job: its archive unpacked into the one sandbox, its test command run, its reports judged. */
class ProjectRunTest {
    @TempDir
    Path runtimes;

    private static final String FAILING_REPORT = """
            <testsuites><testsuite name="pytest" tests="2">
              <testcase classname="tests.test_calc" name="test_add" time="0.001"/>
              <testcase classname="tests.test_calc" name="test_sub" time="0.002"><failure message="assert 8 == 2">trace</failure></testcase>
            </testsuite></testsuites>""";

    private JobRunner runner(List<SandboxSpec> specs, SandboxRuns run) throws IOException {
        Files.writeString(runtimes.resolve("python.json"), """
                {"name":"python","version":"3.11","packages":["python3-minimal"],"source_file":"main.py",
                 "run":["python3","main.py"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
        return new JobRunner(RuntimeCatalog.load(runtimes), (spec, cancellation) -> {
            specs.add(spec);
            return run.build();
        }, Clock.systemUTC());
    }

    private static byte[] archive(String path, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(path);
            entry.setSize(data.length);
            entry.setMode(0_100755);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static Job project(byte[] archive) {
        return new Job(UUID.randomUUID(), "python",
                Job.Code.of(new Job.Project(archive, List.of("python3", "-m", "pytest"), List.of("report.xml"))),
                new Job.Input(new byte[0], List.of()), new Job.JobLimits(5000, 256, 1024), Job.Testing.NONE, Job.RunOptions.ONCE);
    }

    @Test
    void theTestCommandRunsOverTheUnpackedArchive() throws IOException {
        List<SandboxSpec> specs = new ArrayList<>();
        runner(specs, SandboxRuns.exited(0)).execute(project(archive("tests/run.sh", "true\n")));

        SandboxSpec spec = specs.getFirst();
        assertEquals(List.of("python3", "-m", "pytest"), spec.command());
        assertEquals(List.of("tests/run.sh"), spec.files().stream().map(SandboxSpec.SandboxFile::path).toList());
        assertTrue(spec.files().getFirst().executable(), "the executable bit is kept");
        assertEquals(new SandboxSpec.Collect.Matching(List.of("report.xml")), spec.output().collect());
    }

    @Test
    void aFailedCaseMakesTheVerdictWrongAnswer() throws IOException {
        var outcome = runner(new ArrayList<>(), SandboxRuns.exited(1).outputFiles(Map.of("report.xml", FAILING_REPORT.getBytes())))
                .execute(project(archive("calc.py", "")));

        assertEquals(Verdict.WRONG_ANSWER, outcome.verdict());
        assertEquals(List.of(ExecutionEvent.TestCaseStatus.PASSED, ExecutionEvent.TestCaseStatus.FAILED),
                outcome.testCases().stream().map(ExecutionEvent.TestCaseOutcome::status).toList());
    }

    @Test
    void aLimitOutranksFailedCases() {
        var cases = List.of(new ExecutionEvent.TestCaseOutcome("t", null, ExecutionEvent.TestCaseStatus.FAILED, null, null));
        assertEquals(Verdict.TIME_LIMIT_EXCEEDED, JobRunner.judgeProject(SandboxRuns.ended(Ending.TIMED_OUT).build(), cases).verdict());
    }

    @Test
    void noReportFoundIsSaid() throws IOException {
        var outcome = runner(new ArrayList<>(), SandboxRuns.exited(0)).execute(project(archive("calc.py", "")));

        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        String message = outcome.diagnostics().message();
        assertTrue(message.contains("no JUnit XML report was found at report.xml"), message);
    }

    @Test
    void aRefusedArchiveRunsNothing() throws IOException {
        List<SandboxSpec> specs = new ArrayList<>();
        var outcome = runner(specs, SandboxRuns.exited(0)).execute(project(archive("../escape", "")));

        assertEquals(Verdict.INTERNAL_ERROR, outcome.verdict());
        assertTrue(specs.isEmpty(), "no sandbox starts for a refused archive");
    }
}
