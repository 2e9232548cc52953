package dev.crucible.api.submission;

import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.JobQueue;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes enqueue intents that their request did not hand over (Redis was away, or the process
 * died in between). Only intents older than {@link #GRACE} are taken, so the request thread normally
 * wins; a job published twice is run twice at worst and stored once.
 */
public final class OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration PERIOD = Duration.ofSeconds(2);

    private final Outbox outbox;
    private final JobQueue queue;
    private final Loop loop = new Loop("outbox-relay", Loop.Pacing.every(PERIOD), this::relayOnce,
            e -> log.warn("outbox relay paused, will retry in {}: {}", PERIOD, e.getMessage()));

    public OutboxRelay(Outbox outbox, JobQueue queue) {
        this.outbox = outbox;
        this.queue = queue;
    }

    public void start() {
        loop.start();
    }

    int relayOnce() {
        int relayed = 0;
        try {
            for (Outbox.PendingJob pending : outbox.olderThan(GRACE, 100)) {
                try {
                    queue.enqueue(pending.submissionId(), pending.keyId().toString(), pending.job());
                    outbox.done(pending.submissionId());
                    relayed++;
                } catch (RuntimeException e) {
                    outbox.failed(pending.submissionId());
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            log.warn("outbox relay paused, will retry in {}: {}", PERIOD, e.getMessage());
        }
        if (relayed > 0) {
            log.info("outbox relay queued {} submission(s)", relayed);
        }
        return relayed;
    }

    public boolean stop(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }
}
