package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which of several causes that meet at one run's end the run reports. */
class DockerSandboxEndingTest {
    @Test
    void timeoutWinsOverEverythingElse() {
        assertEquals(Ending.TIMED_OUT, DockerSandbox.ending(Ending.TIMED_OUT, true, true));
    }

    @Test
    void cancellationWinsOverTheOutputCapAndMemory() {
        assertEquals(Ending.CANCELLED, DockerSandbox.ending(Ending.CANCELLED, true, true));
    }

    @Test
    void outputFloodWinsOverMemory() {
        assertEquals(Ending.OUTPUT_EXCEEDED, DockerSandbox.ending(Ending.OUT_OF_MEMORY, true, true));
    }

    @Test
    void outputFloodWinsOverTheProgramsOwnExit() {
        assertEquals(Ending.OUTPUT_EXCEEDED, DockerSandbox.ending(new Ending.Exited(0), true, false));
    }

    @Test
    void oomKillWinsOverTheProgramsOwnExit() {
        assertEquals(Ending.OUT_OF_MEMORY, DockerSandbox.ending(new Ending.Exited(137), false, true));
    }

    @Test
    void unconfirmedSuspicionOfMemoryLeavesNoExitStatus() {
        assertEquals(new Ending.Exited(-1), DockerSandbox.ending(Ending.OUT_OF_MEMORY, false, false));
    }

    @Test
    void programThatExitedByItselfKeepsItsStatus() {
        assertEquals(new Ending.Exited(3), DockerSandbox.ending(new Ending.Exited(3), false, false));
    }
}
