package dev.crucible.executor;

import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.queue.Job;
import dev.crucible.runtime.RuntimeManifest;

/**
 * The sandbox time one job may use, by wall clock over its compile and every run, against what it
 * has used so far. Each run is bounded by its own wall limit; this bounds their sum, so that a job
 * whose budget is smaller than its worst case stops between runs rather than holding a slot. The
 * first test or run always runs, so that every outcome has one to speak for it.
 * One per job, used by one thread.
 */
final class SandboxBudget {
    private final long budgetMs;
    private long usedMs;

    SandboxBudget(long budgetMs) {
        this.budgetMs = budgetMs;
    }

    /** The job's own budget, or, for a job of an api from before budgets, its worst case. */
    static SandboxBudget of(Job job, RuntimeManifest runtime) {
        long given = job.limits().sandboxMs();
        return new SandboxBudget(given > 0 ? given : Job.worstCaseSandboxMs(job.testing().tests().size(), job.options().runs(),
                job.limits().wallTimeMs(), runtime.compiled() ? runtime.compile().limits().wallTimeMs() : 0));
    }

    /**
     * Counts a run at most at its wall limit: a kill at the limit lands a few milliseconds after it,
     * and that overrun is the executor's, not the job's; so a job at its worst case is never stopped.
     */
    void spent(SandboxRun run, long wallLimitMs) {
        usedMs += Math.min(run.wallTime().toMillis(), wallLimitMs);
    }

    boolean usedUp() {
        return usedMs >= budgetMs;
    }

    /** Why the job stopped after {@code done} of its {@code all} tests or runs. */
    String stopped(int done, int all, String what) {
        return "the submission's sandbox-time budget of " + budgetMs + " ms was used up (" + usedMs + " ms) after "
                + done + " of " + all + " " + what + "; the other " + (all - done) + " were not run";
    }
}
