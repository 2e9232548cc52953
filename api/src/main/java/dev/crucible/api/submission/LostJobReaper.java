package dev.crucible.api.submission;

import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.LiveJobs;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds submissions whose job the queue lost (Redis lost data beyond its append-only file, was
 * flushed, or a backup was restored) and queues them again through the outbox; past their deadline
 * it ends them as internal_error instead. A submission counts as lost when it has been unfinished
 * for longer than the bound, has no enqueue intent, and the job stream holds no entry for it on two
 * turns in a row: a job whose executor has just completed it leaves the stream a moment before its
 * result is stored, and must not be run again for that.
 */
public final class LostJobReaper {
    private static final Logger log = LoggerFactory.getLogger(LostJobReaper.class);
    private static final Duration PERIOD = Duration.ofSeconds(30);
    private static final int BATCH = 500;
    /** How many bounds a submission may take in all before it is ended instead of queued again. */
    private static final int DEADLINE_BOUNDS = 3;

    private final StaleSubmissions stale;
    private final SubmissionStore store;
    private final LiveJobs liveJobs;
    private final ChangeSignals signals;
    private final Duration bound;
    private final Clock clock;
    private final Loop loop = new Loop("lost-job-reaper", Loop.Pacing.every(PERIOD), this::reapOnce,
            e -> log.warn("lost-job reaper paused, will retry in {}: {}", PERIOD, e.getMessage()));
    /** Lost on the last turn; only the loop's thread touches it. */
    private Set<UUID> missingBefore = Set.of();

    /** @param bound how long a submission may stay unfinished before its job is looked for in the queue */
    public LostJobReaper(Jdbi jdbi, SubmissionStore store, LiveJobs liveJobs, ChangeSignals signals, Duration bound, Clock clock) {
        this.stale = new StaleSubmissions(jdbi);
        this.store = store;
        this.liveJobs = liveJobs;
        this.signals = signals;
        this.bound = bound;
        this.clock = clock;
    }

    public void start() {
        loop.start();
    }

    /** One look: returns how many submissions it queued again or ended. */
    int reapOnce() {
        // The database is read before the stream: a job the relay publishes in between is then seen as live.
        List<StaleSubmissions.Stale> candidates = stale.olderThan(bound, bound.multipliedBy(DEADLINE_BOUNDS), BATCH);
        if (candidates.isEmpty()) {
            missingBefore = Set.of();
            return 0;
        }
        Set<UUID> live = liveJobs.submissionIds();
        Set<UUID> missing = new HashSet<>();
        int reaped = 0;
        for (StaleSubmissions.Stale candidate : candidates) {
            if (live.contains(candidate.id())) {
                continue;
            }
            if (!missingBefore.contains(candidate.id())) {
                missing.add(candidate.id());
            } else if (reap(candidate)) {
                reaped++;
            }
        }
        missingBefore = missing;
        return reaped;
    }

    private boolean reap(StaleSubmissions.Stale lost) {
        boolean changed;
        if (lost.overdue()) {
            String message = "the job was lost by the queue and not found again within " + bound.multipliedBy(DEADLINE_BOUNDS)
                    + " of the submission; it may be submitted again";
            changed = store.markFinished(new ExecutionEvent.Finished(lost.id(), "reaper",
                    ExecutionEvent.Outcome.internalError(message, clock.instant())));
            if (changed) {
                log.warn("submission {} ended as internal_error: its job was lost by the queue", lost.id());
            }
        } else {
            changed = stale.requeue(lost.id());
            if (changed) {
                log.warn("submission {} queued again: its job was lost by the queue", lost.id());
            }
        }
        if (changed) {
            signals.changed(lost.id());
        }
        return changed;
    }

    public boolean stop(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }
}
