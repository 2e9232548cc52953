package dev.crucible.executor;

import dev.crucible.queue.EventSink;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.JobSource;
import dev.crucible.queue.QueueException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox slot: takes a job, reports it started, runs it, reports the outcome, and only then
 * acknowledges the job. A crash anywhere before the acknowledgement leaves the job pending in Redis,
 * where this slot (on restart) or another executor (after the reclaim time) takes it again.
 */
final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final String name;
    private final JobSource jobs;
    private final EventSink events;
    private final JobRunner runner;
    private final Clock clock;
    private final Duration renewEvery;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    Worker(String name, JobSource jobs, EventSink events, JobRunner runner, Clock clock, Duration reclaimAfter) {
        this.renewEvery = reclaimAfter.dividedBy(4);
        this.name = name;
        this.jobs = jobs;
        this.events = events;
        this.runner = runner;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            while (running) {
                try {
                    for (JobSource.JobDelivery delivery : jobs.take(1, POLL)) {
                        handle(delivery);
                    }
                } catch (QueueException e) {
                    log.error("{}: queue failure, retrying in {}: {}", name, RETRY_AFTER_FAILURE, e.getMessage());
                    pause();
                } catch (RuntimeException e) {
                    // A slot must not die quietly while the heartbeat says the executor is fine.
                    log.error("{}: unexpected failure, retrying in {}", name, RETRY_AFTER_FAILURE, e);
                    pause();
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void handle(JobSource.JobDelivery delivery) {
        var job = delivery.job();
        log.info("{}: running submission {} ({})", name, job.submissionId(), job.runtime());
        events.publish(new ExecutionEvent.Started(job.submissionId(), name, clock.instant()));
        ExecutionEvent.Outcome outcome;
        try (Lease lease = new Lease(delivery)) {
            outcome = runner.execute(job);
        }
        events.publish(new ExecutionEvent.Finished(job.submissionId(), name, outcome));
        jobs.complete(delivery);
        log.info("{}: submission {} finished: {}", name, job.submissionId(), outcome.verdict());
    }

    /** Keeps a job claimed while it runs, however long that is, so that no other executor takes it over. */
    private final class Lease implements AutoCloseable {
        private final CountDownLatch done = new CountDownLatch(1);

        Lease(JobSource.JobDelivery delivery) {
            Thread.ofVirtual().name(name + "-lease").start(() -> {
                try {
                    while (!done.await(renewEvery.toMillis(), TimeUnit.MILLISECONDS)) {
                        try {
                            jobs.renew(delivery);
                        } catch (QueueException e) {
                            log.warn("{}: cannot renew the claim on {}: {}", name, delivery.entryId(), e.getMessage());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        public void close() {
            done.countDown();
        }
    }

    /** Asks the slot to stop after the job in hand; returns whether it stopped within {@code limit}. */
    boolean stop(Duration limit) throws InterruptedException {
        running = false;
        return stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_AFTER_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
