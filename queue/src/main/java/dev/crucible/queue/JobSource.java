package dev.crucible.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** An executor's side of the job queue: a consumer in the executors' group. */
public interface JobSource {
    /**
     * Jobs for this consumer: first any it was given before and never completed (it restarted
     * mid-run), then jobs idle longer than the reclaim threshold at a dead consumer, then waiting
     * ones, one from each lane in turn, waiting up to {@code block} for one.
     */
    List<JobDelivery> take(int max, Duration block);

    /**
     * The next waiting job of any lane but {@code lane}, without waiting: what a long job of
     * {@code lane} runs in between its parts, so that it delays others by one part, not by all.
     */
    Optional<JobDelivery> takeFromOtherLane(String lane);

    /** Acknowledges and deletes the job. Call only after its final event was published. */
    void complete(JobDelivery delivery);

    /**
     * Resets the job's idle time, so that no other executor reclaims it while this one still runs
     * it. Call more often than the reclaim time.
     */
    void renew(JobDelivery delivery);

    /**
     * Gives the job back unfinished, for any executor to take at once, as it takes a dead consumer's
     * after the reclaim time: what a stopping executor does with a run it will not finish. Its
     * deliveries are not counted up for it: the job did nothing wrong. Call only after its run ended.
     */
    void handBack(JobDelivery delivery);

    /**
     * A job handed to this consumer, with the stream entry id it must be completed by.
     *
     * @param lane the lane it waited in; empty for a job put on the stream by an api from before lanes
     */
    record JobDelivery(String entryId, String lane, Job job) {}
}
