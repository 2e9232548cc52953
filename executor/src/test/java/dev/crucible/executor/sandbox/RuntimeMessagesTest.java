package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RuntimeMessagesTest {
    private static final String ID = "3f1c".repeat(16);
    private static final String PROGRAM = "allocating\nstill allocating\n";
    private static final String RUNSC = "waiting on pid 2: waiting on PID 2 in sandbox \"" + ID + "\": urpc method failed: EOF\n";

    private static SandboxRun.Output output(String stderr) {
        return new SandboxRun.Output(new SandboxRun.CapturedStream("out\n".getBytes(StandardCharsets.UTF_8), 0),
                new SandboxRun.CapturedStream(stderr.getBytes(StandardCharsets.UTF_8), 7));
    }

    private static String stderr(SandboxRun.Output output) {
        return new String(output.stderr().kept(), StandardCharsets.UTF_8);
    }

    @Test
    void runscsWordsAfterAMemoryKillAreNotThePrograms() {
        assertEquals(PROGRAM, stderr(RuntimeMessages.programOnly(output(PROGRAM + RUNSC), Ending.OUT_OF_MEMORY, ID)));
    }

    @Test
    void theLineThatNamesTheSandboxGoesWhole() {
        assertEquals(PROGRAM, stderr(RuntimeMessages.programOnly(output(PROGRAM + "half a line" + RUNSC), Ending.TIMED_OUT, ID)));
    }

    @Test
    void aProgramThatExitedByItselfKeepsEveryByte() {
        String own = PROGRAM + "my sandbox is " + ID + "\n";
        assertEquals(own, stderr(RuntimeMessages.programOnly(output(own), new Ending.Exited(1), ID)));
    }
}
