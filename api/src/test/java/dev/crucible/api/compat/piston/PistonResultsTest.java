package dev.crucible.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.crucible.api.model.OutputEncoding;
import dev.crucible.api.model.PistonExecuteResult;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.model.Verdict;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PistonResultsTest {
    private static Submission completed(Verdict verdict) {
        return new Submission(UUID.randomUUID(), SubmissionStatus.COMPLETED, "cpp", OffsetDateTime.now()).verdict(verdict);
    }

    @Test
    void aFailedCompileIsReportedAsRunToo() {
        Submission failed = completed(Verdict.COMPILE_ERROR).compileOutput("main.cpp:1: error").message("compilation failed");
        PistonExecuteResult result = PistonResults.of(failed, "c++", "12.2", true);
        assertSame(result.getCompile(), result.getRun());
        assertEquals(PistonResults.COMPILE_FAILED, result.getCompile().getCode());
        assertEquals("main.cpp:1: error", result.getCompile().getStderr());
    }

    @Test
    void aCompiledProgramThatRanHasBothStages() {
        Submission ran = completed(Verdict.ACCEPTED).stdout("42\n").exitCode(0).compileOutput("");
        PistonExecuteResult result = PistonResults.of(ran, "c++", "12.2", true);
        assertEquals(0, result.getCompile().getCode());
        assertEquals("42\n", result.getRun().getStdout());
        assertEquals(0, result.getRun().getCode());
    }

    @Test
    void anInterpretedProgramHasNoCompileStage() {
        PistonExecuteResult result = PistonResults.of(completed(Verdict.ACCEPTED).stdout("hi").exitCode(0), "python", "3.11", false);
        assertNull(result.getCompile());
    }

    @Test
    void aTimeLimitIsSigkillWithStatusToAndNoCode() {
        var run = PistonResults.of(completed(Verdict.TIME_LIMIT_EXCEEDED), "python", "3.11", false).getRun();
        assertEquals("SIGKILL", run.getSignal());
        assertEquals("TO", run.getStatus());
        assertNull(run.getCode());
    }

    @Test
    void aSignalledProgramHasItsSignalAndNoCode() {
        var run = PistonResults.of(completed(Verdict.RUNTIME_ERROR).exitCode(139).signal("SIGSEGV"), "c", "12.2", false).getRun();
        assertEquals("SIGSEGV", run.getSignal());
        assertEquals("SG", run.getStatus());
        assertNull(run.getCode());
    }

    @Test
    void aNonZeroExitIsStatusRe() {
        var run = PistonResults.of(completed(Verdict.RUNTIME_ERROR).exitCode(3), "python", "3.11", false).getRun();
        assertEquals(3, run.getCode());
        assertEquals("RE", run.getStatus());
        assertNull(run.getSignal());
    }

    @Test
    void outputIsStdoutThenStderr() {
        var run = PistonResults.of(completed(Verdict.ACCEPTED).stdout("out\n").stderr("err\n").exitCode(0), "python", "3.11", false).getRun();
        assertEquals("out\nerr\n", run.getOutput());
    }

    @Test
    void base64OutputIsDecoded() {
        var run = PistonResults.of(completed(Verdict.ACCEPTED).stdout("aGk=").stdoutEncoding(OutputEncoding.BASE64).exitCode(0),
                "python", "3.11", false).getRun();
        assertEquals("hi", run.getStdout());
    }

    @Test
    void peakMemoryIsInBytes() {
        var run = PistonResults.of(completed(Verdict.ACCEPTED).peakMemoryKb(2L).exitCode(0), "python", "3.11", false).getRun();
        assertEquals(2048L, run.getMemory());
    }
}
