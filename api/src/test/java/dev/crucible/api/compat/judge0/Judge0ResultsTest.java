package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.model.Judge0Submission;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.OutputEncoding;
import dev.crucible.api.model.RunResult;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.model.TestResult;
import dev.crucible.api.model.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Judge0ResultsTest {
    private static final Judge0Languages LANGUAGES = new Judge0Languages(RuntimeCatalog.load(Path.of("..", "runtimes")));
    private static final OffsetDateTime CREATED = OffsetDateTime.of(2026, 1, 31, 12, 0, 0, 0, ZoneOffset.ofHours(1));

    private static Submission completed(Verdict verdict) {
        return new Submission(UUID.randomUUID(), SubmissionStatus.COMPLETED, "python", CREATED).verdict(verdict)
                .limits(new Limits().wallTimeMs(2500L).memoryMb(128L)).finishedAt(CREATED.plusSeconds(1));
    }

    private static Judge0Submission all(Submission submission, boolean base64) {
        return Judge0Results.of(submission, LANGUAGES, base64, Judge0Fields.parse("*"));
    }

    private static int status(Submission submission) {
        return all(submission, true).getStatusId();
    }

    @Test
    void queuedAndRunningAreOneAndTwo() {
        assertEquals(1, status(new Submission(UUID.randomUUID(), SubmissionStatus.QUEUED, "python", CREATED)));
        assertEquals(2, status(new Submission(UUID.randomUUID(), SubmissionStatus.RUNNING, "python", CREATED)));
    }

    @Test
    void eachEndingHasJudge0sStatus() {
        assertEquals(3, status(completed(Verdict.ACCEPTED).exitCode(0)));
        assertEquals(4, status(completed(Verdict.WRONG_ANSWER).exitCode(0)));
        assertEquals(5, status(completed(Verdict.TIME_LIMIT_EXCEEDED).signal("SIGKILL")));
        assertEquals(6, status(completed(Verdict.COMPILE_ERROR)));
        assertEquals(13, status(completed(Verdict.INTERNAL_ERROR).message("the sandbox failed")));
        assertEquals(8, status(completed(Verdict.OUTPUT_LIMIT_EXCEEDED).signal("SIGKILL")));
        assertEquals(12, status(completed(Verdict.MEMORY_LIMIT_EXCEEDED).signal("SIGKILL")));
    }

    @Test
    void aSignalIsJudge0sRuntimeErrorOfThatSignal() {
        assertEquals(7, status(completed(Verdict.RUNTIME_ERROR).exitCode(139).signal("SIGSEGV")));
        assertEquals(8, status(completed(Verdict.RUNTIME_ERROR).exitCode(153).signal("SIGXFSZ")));
        assertEquals(9, status(completed(Verdict.RUNTIME_ERROR).exitCode(136).signal("SIGFPE")));
        assertEquals(10, status(completed(Verdict.RUNTIME_ERROR).exitCode(134).signal("SIGABRT")));
        assertEquals(12, status(completed(Verdict.RUNTIME_ERROR).exitCode(143).signal("SIGTERM")));
    }

    @Test
    void aNonZeroExitIsNzecWithTheExitCodeAndNoSignal() {
        Judge0Submission view = all(completed(Verdict.RUNTIME_ERROR).exitCode(3), false);
        assertEquals(11, view.getStatusId());
        assertEquals("Runtime Error (NZEC)", view.getStatus().getDescription());
        assertEquals(3, view.getExitCode());
        assertNull(view.getExitSignal());
        assertEquals("Exited with error status 3", view.getMessage());
    }

    @Test
    void aSignalledProgramHasExitCodeZeroAndItsSignalNumber() {
        Judge0Submission view = all(completed(Verdict.RUNTIME_ERROR).exitCode(139).signal("SIGSEGV"), false);
        assertEquals(0, view.getExitCode(), "isolate reports no exit code for a signalled program; Judge0 writes 0");
        assertEquals(11, view.getExitSignal());
        assertEquals("Caught fatal signal 11", view.getMessage());
    }

    @Test
    void aCancelledSubmissionIsAnInternalError() {
        Judge0Submission view = all(new Submission(UUID.randomUUID(), SubmissionStatus.CANCELLED, "python", CREATED), false);
        assertEquals(13, view.getStatusId());
        assertEquals("the submission was cancelled", view.getMessage());
    }

    @Test
    void timeIsCpuSecondsAsADecimalStringAndMemoryKb() {
        Judge0Submission view = all(completed(Verdict.ACCEPTED).exitCode(0).cpuTimeMs(42L).wallTimeMs(2000L).peakMemoryKb(5120L), false);
        assertEquals("0.042", view.getTime());
        assertEquals("2.0", view.getWallTime());
        assertEquals(5120, view.getMemory());
        assertEquals("2.5", view.getCpuTimeLimit(), "the limit that applied, in seconds");
        assertEquals("2.5", view.getWallTimeLimit());
        assertEquals(128 * 1024, view.getMemoryLimit());
    }

    @Test
    void secondsAreWrittenAsRailsWritesADecimal() {
        assertEquals("0.0", Judge0Results.seconds(0.0));
        assertEquals("1.0", Judge0Results.seconds(1000.0));
        assertEquals("0.1", Judge0Results.seconds(100.0));
        assertEquals("12.345", Judge0Results.seconds(12345.0));
        assertEquals("0.002", Judge0Results.seconds(1.6));
        assertNull(Judge0Results.seconds(null));
    }

    @Test
    void timesAreUtcWithMillisecondsForThePythonSdksParser() {
        Judge0Submission view = all(completed(Verdict.ACCEPTED).exitCode(0), false);
        assertEquals("2026-01-31T11:00:00.000Z", view.getCreatedAt());
        assertEquals("2026-01-31T11:00:01.000Z", view.getFinishedAt());
    }

    @Test
    void base64IsRubysEncode64LinesOfSixtyEachEndedByANewline() {
        assertEquals("aGVsbG8sIEp1ZGdlMAo=\n", Judge0Results.encode64("hello, Judge0\n".getBytes()));
        String long64 = Judge0Results.encode64(new byte[100]);
        String[] lines = long64.split("\n");
        assertEquals(60, lines[0].length());
        assertEquals(3, lines.length);
        assertEquals('\n', long64.charAt(long64.length() - 1));
    }

    @Test
    void withBase64TheOutputsAndTheMessageAreEncoded() {
        Judge0Submission view = all(completed(Verdict.RUNTIME_ERROR).exitCode(1).stdout("out\n").stderr("err\n"), true);
        assertEquals("b3V0Cg==\n", view.getStdout());
        assertEquals("ZXJyCg==\n", view.getStderr());
        assertEquals("Exited with error status 1", new String(Base64.getMimeDecoder().decode(view.getMessage())));
    }

    @Test
    void anEmptyOutputIsNullAsJudge0StoresNil() {
        Judge0Submission view = all(completed(Verdict.ACCEPTED).exitCode(0).stdout("").stderr(""), true);
        assertNull(view.getStdout());
        assertNull(view.getStderr());
        assertNull(view.getMessage());
    }

    @Test
    void outputThatIsNotUtf8IsRefusedAsTextOnlyWhenAskedFor() {
        String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe});
        Submission binary = completed(Verdict.ACCEPTED).exitCode(0).stdout(notUtf8).stdoutEncoding(OutputEncoding.BASE64);
        var e = assertThrows(Judge0Results.Unconvertible.class, () -> all(binary, false));
        assertEquals(binary.getId(), e.token());
        assertEquals("some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query parameter",
                e.getMessage());
        assertNull(Judge0Results.of(binary, LANGUAGES, false, Judge0Fields.parse("token,status")).getStdout());
        assertEquals(notUtf8 + "\n", all(binary, true).getStdout(), "in base64 the bytes come back exactly");
    }

    @Test
    void textThatIsUtf8ComesBackAsTextEvenWhenCrucibleStoredItAsBase64ForItsNul() {
        String withNul = Base64.getEncoder().encodeToString("a\0b".getBytes());
        Judge0Submission view = all(completed(Verdict.ACCEPTED).exitCode(0).stdout(withNul).stdoutEncoding(OutputEncoding.BASE64), false);
        assertEquals("a\0b", view.getStdout());
    }

    @Test
    void aCompileErrorHasItsOutputAndNoFiguresOrExitStatus() {
        Judge0Submission view = all(completed(Verdict.COMPILE_ERROR).compileOutput("main.c:1: error\n").wallTimeMs(300L)
                .message("the compiler exited with 1"), false);
        assertEquals(6, view.getStatusId());
        assertEquals("main.c:1: error\n", view.getCompileOutput());
        assertNull(view.getTime());
        assertNull(view.getWallTime());
        assertNull(view.getMemory());
        assertNull(view.getStdout());
        assertNull(view.getExitCode());
        assertNull(view.getMessage(), "Judge0 clears the message of a compile error");
    }

    @Test
    void withExpectedOutputTheFirstFailingRunIsShownAndFiguresAverageTheRunsUpToIt() {
        Submission runs = completed(Verdict.WRONG_ANSWER)
                .addTestsItem(new TestResult("run 1", Verdict.ACCEPTED).stdout("yes\n").exitCode(0).cpuTimeMs(10L).peakMemoryKb(1000L))
                .addTestsItem(new TestResult("run 2", Verdict.WRONG_ANSWER).stdout("no\n").exitCode(0).cpuTimeMs(30L)
                        .peakMemoryKb(2001L).wallTimeMs(50L))
                .addTestsItem(new TestResult("run 3", Verdict.ACCEPTED).stdout("yes\n").exitCode(0).cpuTimeMs(500L).peakMemoryKb(9000L));
        Judge0Submission view = all(runs, false);
        assertEquals(4, view.getStatusId());
        assertEquals("no\n", view.getStdout());
        assertEquals("0.02", view.getTime(), "the average of the first two runs: Judge0 stops at the first that fails");
        assertEquals(1500, view.getMemory());
        assertEquals("0.05", view.getWallTime());
        assertEquals(3, view.getNumberOfRuns());
    }

    @Test
    void withExpectedOutputAllPassingShowsTheLastRun() {
        Submission runs = completed(Verdict.ACCEPTED)
                .addTestsItem(new TestResult("run 1", Verdict.ACCEPTED).stdout("a\n").exitCode(0).cpuTimeMs(10L))
                .addTestsItem(new TestResult("run 2", Verdict.ACCEPTED).stdout("b\n").exitCode(0).cpuTimeMs(20L));
        Judge0Submission view = all(runs, false);
        assertEquals(3, view.getStatusId());
        assertEquals("b\n", view.getStdout());
        assertEquals("0.015", view.getTime());
    }

    @Test
    void runsStoppedAtTheBudgetAreNotAcceptedThoughAllThatRanPassed() {
        Submission stopped = completed(Verdict.TIME_LIMIT_EXCEEDED).message("stopped after 1 of 3 tests: the sandbox-time budget is used up")
                .addTestsItem(new TestResult("run 1", Verdict.ACCEPTED).stdout("yes\n").exitCode(0));
        Judge0Submission view = all(stopped, false);
        assertEquals(5, view.getStatusId());
        assertEquals("stopped after 1 of 3 tests: the sandbox-time budget is used up", view.getMessage());
    }

    @Test
    void repeatedRunsAverageTheirFigures() {
        Submission repeated = completed(Verdict.ACCEPTED).exitCode(0).stdout("x").cpuTimeMs(10L)
                .addRunsItem(new RunResult(Verdict.ACCEPTED).cpuTimeMs(10L).peakMemoryKb(100L))
                .addRunsItem(new RunResult(Verdict.ACCEPTED).cpuTimeMs(30L).peakMemoryKb(301L));
        Judge0Submission view = all(repeated, false);
        assertEquals("0.02", view.getTime());
        assertEquals(200, view.getMemory());
        assertEquals(2, view.getNumberOfRuns());
    }

    @Test
    void theLanguageIsTheRuntimesJudge0Id() {
        Judge0Submission view = all(completed(Verdict.ACCEPTED).exitCode(0), false);
        assertEquals(71, view.getLanguageId());
        assertEquals(71, view.getLanguage().getId());
        assertEquals("Python (3.11)", view.getLanguage().getName());
        assertNull(view.getLanguage().getIsArchived(), "a submission's language is only {id, name}");
    }

    @Test
    void whatCrucibleDoesNotKeepIsNull() {
        Judge0Submission view = all(completed(Verdict.ACCEPTED).exitCode(0), false);
        assertNull(view.getSourceCode());
        assertNull(view.getStdin());
        assertNull(view.getExpectedOutput());
        assertNull(view.getCallbackUrl());
    }
}
