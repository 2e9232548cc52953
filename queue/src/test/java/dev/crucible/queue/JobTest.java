package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The worst-case sandbox time of a job, which the api bounds and the executor enforces. */
class JobTest {
    @Test
    void worstCaseOfAProgramWithoutTestsIsItsRunsAtTheWallLimit() {
        assertEquals(3 * 2000, Job.worstCaseSandboxMs(0, 3, 2000, 0));
    }

    @Test
    void worstCaseOfTestsIsEachTestAtTheWallLimit() {
        assertEquals(64 * 30_000, Job.worstCaseSandboxMs(64, 1, 30_000, 0));
    }

    @Test
    void worstCaseOfACompiledRuntimeAddsTheCompileWallLimit() {
        assertEquals(2 * 5000 + 9000, Job.worstCaseSandboxMs(2, 1, 5000, 9000));
    }
}
