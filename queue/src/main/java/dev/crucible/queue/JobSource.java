package dev.crucible.queue;

import java.time.Duration;
import java.util.List;

/** An executor's side of the job stream: a consumer in the executors' group. */
public interface JobSource {
    /**
     * Jobs for this consumer: first any it was given before and never completed (it restarted
     * mid-run), then jobs idle longer than the reclaim threshold at a dead consumer, then new ones,
     * waiting up to {@code block} for one.
     */
    List<JobDelivery> take(int max, Duration block);

    /** Acknowledges and deletes the job. Call only after its final event was published. */
    void complete(JobDelivery delivery);

    /**
     * Resets the job's idle time, so that no other executor reclaims it while this one still runs
     * it. Call more often than the reclaim time.
     */
    void renew(JobDelivery delivery);

    /** A job handed to this consumer, with the stream entry id it must be completed by. */
    record JobDelivery(String entryId, Job job) {}
}
