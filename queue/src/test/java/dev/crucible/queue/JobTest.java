package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The worst-case sandbox time of a job, which the api bounds and the executor enforces. */
class JobTest {
    private static Job job(int tests, int runs, long wallMs) {
        var test = new Job.JobTest("t", null, null, new byte[0]);
        return new Job(UUID.randomUUID(), "python", new Job.Code(List.of(new Job.JobFile("main.py", new byte[0])), "main.py"),
                new Job.Input(new byte[0], List.of()), new Job.JobLimits(wallMs, 64, 1024),
                new Job.Testing(Collections.nCopies(tests, test), Job.Comparison.EXACT), new Job.RunOptions(false, runs, List.of()));
    }

    @Test
    void worstCaseOfAProgramWithoutTestsIsItsRunsAtTheWallLimit() {
        assertEquals(3 * 2000, job(0, 3, 2000).worstCaseSandboxMs(0));
    }

    @Test
    void worstCaseOfTestsIsEachTestAtTheWallLimit() {
        assertEquals(64 * 30_000, job(64, 1, 30_000).worstCaseSandboxMs(0));
    }

    @Test
    void worstCaseOfACompiledRuntimeAddsTheCompileWallLimit() {
        assertEquals(2 * 5000 + 9000, job(2, 1, 5000).worstCaseSandboxMs(9000));
    }
}
