package dev.crucible.api.submission;

import dev.crucible.lifecycle.Loop;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background purge: every {@link #PERIOD}, erases what is past its retention, a batch at a time,
 * pausing between batches so that the api's own statements are never queued behind a long run.
 */
public final class RetentionSweep {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final Duration BETWEEN_BATCHES = Duration.ofMillis(50);

    private final SubmissionPurge purge;
    private final Loop loop = new Loop("retention-sweep", Loop.Pacing.every(PERIOD), this::sweep,
            e -> log.warn("retention sweep failed, will retry in {}: {}", PERIOD, e.getMessage(), e));

    public RetentionSweep(SubmissionPurge purge) {
        this.purge = purge;
    }

    public void start() {
        loop.start();
    }

    private void sweep() throws InterruptedException {
        int submissions = drain(purge::purgeExpired);
        int commands = drain(purge::purgeExpiredSessionCommands);
        int audit = drain(purge::purgeExpiredAudit);
        if (submissions > 0 || commands > 0 || audit > 0) {
            log.info("retention: erased the content of {} submission(s) and {} session command(s), deleted {} audit entr(ies)",
                    submissions, commands, audit);
        }
    }

    /** Runs {@code batch} until it takes less than a full batch, or the loop stops; returns the rows taken. */
    private int drain(IntSupplier batch) throws InterruptedException {
        int total = 0;
        int taken;
        do {
            taken = batch.getAsInt();
            total += taken;
        } while (taken == SubmissionPurge.BATCH && loop.pause(BETWEEN_BATCHES));
        return total;
    }

    public boolean stop(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }
}
