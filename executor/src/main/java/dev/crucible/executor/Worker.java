package dev.crucible.executor;

import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.Cancellations;
import dev.crucible.queue.EventSink;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.JobSource;
import dev.crucible.queue.QueueException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One sandbox slot: takes a job, reports it started, runs it, reports the outcome, and only then
 * acknowledges the job. A crash anywhere before the acknowledgement leaves the job pending in Redis,
 * where this slot (on restart) or another executor (after the reclaim time) takes it again.
 */
final class Worker {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration CANCEL_POLL = Duration.ofMillis(500);

    private final String name;
    private final JobSource jobs;
    private final EventSink events;
    private final Cancellations cancellations;
    private final JobMetrics metrics;
    private final JobRunner runner;
    private final SandboxHealth health;
    private final Clock clock;
    private final Duration renewEvery;
    private final Loop loop;

    Worker(String name, JobSource jobs, EventSink events, Cancellations cancellations, JobRunner runner, SandboxHealth health,
           Clock clock, Duration reclaimAfter, JobMetrics metrics) {
        this.name = name;
        this.jobs = jobs;
        this.events = events;
        this.cancellations = cancellations;
        this.runner = runner;
        this.health = health;
        this.clock = clock;
        this.renewEvery = reclaimAfter.dividedBy(4);
        this.metrics = metrics;
        this.loop = new Loop(name, Loop.Pacing.continuously(RETRY_AFTER_FAILURE), this::takeJob, this::failed);
    }

    void start() {
        loop.start();
    }

    private void takeJob() {
        try {
            // While the sandbox host is down, jobs wait in the queue for this executor or another.
            if (!health.awaitHealthy(POLL)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (JobSource.JobDelivery delivery : jobs.take(1, POLL)) {
            handle(delivery);
        }
    }

    private void failed(RuntimeException failure) {
        switch (failure) {
            case QueueException e -> log.error("{}: queue failure, retrying in {}: {}", name, RETRY_AFTER_FAILURE, e.getMessage());
            // A slot must not die quietly while the heartbeat says the executor is fine.
            default -> log.error("{}: unexpected failure, retrying in {}", name, RETRY_AFTER_FAILURE, failure);
        }
    }

    private void handle(JobSource.JobDelivery delivery) {
        // Every line this thread logs while the job is in hand names it, here, in JobRunner and in the
        // sandbox. Entries are per thread: helper threads (the watch, docker-java's streams) carry none.
        try (var _ = MDC.putCloseable("submission", delivery.job().submissionId().toString());
             var _ = MDC.putCloseable("job", delivery.entryId())) {
            process(delivery, () -> runOneOfAnotherLane(delivery));
        }
    }

    /**
     * Between the parts of the job in hand, one waiting job of another lane runs to its end in this
     * slot; it makes way for nobody itself, so a slot holds two jobs at most.
     */
    private void runOneOfAnotherLane(JobSource.JobDelivery inHand) {
        Optional<JobSource.JobDelivery> other;
        try {
            other = jobs.takeFromOtherLane(inHand.lane());
        } catch (QueueException e) {
            log.warn("{}: cannot look for other lanes' jobs, going on with {}: {}", name, inHand.job().submissionId(), e.getMessage());
            return;
        }
        if (other.isEmpty()) {
            return;
        }
        Map<String, String> outer = MDC.getCopyOfContextMap();
        try (var _ = MDC.putCloseable("submission", other.get().job().submissionId().toString());
             var _ = MDC.putCloseable("job", other.get().entryId())) {
            log.info("{}: submission {} makes way for {} between its parts", name, inHand.job().submissionId(),
                    other.get().job().submissionId());
            process(other.get(), Interlude.NONE);
        } catch (RuntimeException e) {
            // Not the job in hand's failure: the other job stays pending and is reclaimed after the reclaim time.
            log.error("{}: submission {}, run between the parts of {}, failed: {}", name, other.get().job().submissionId(),
                    inHand.job().submissionId(), e.getMessage());
        } finally {
            MDC.setContextMap(outer);
        }
    }

    private void process(JobSource.JobDelivery delivery, Interlude interlude) {
        var job = delivery.job();
        if (cancellations.isCancelled(job.submissionId())) {
            log.info("{}: submission {} was cancelled before it ran", name, job.submissionId());
            jobs.complete(delivery);
            return;
        }
        log.info("{}: running submission {} ({})", name, job.submissionId(), job.runtime());
        events.publish(new ExecutionEvent.Started(job.submissionId(), name, clock.instant()));
        ExecutionEvent.Outcome outcome;
        metrics.runStarted();
        long started = System.nanoTime();
        try (Watch watch = new Watch(delivery)) {
            outcome = runner.execute(job, watch::cancelled, interlude);
        } catch (Error e) {
            // Out of memory on one job's data, say: that job ends, the slot lives on.
            log.error("{}: submission {} broke the executor", name, job.submissionId(), e);
            outcome = ExecutionEvent.Outcome.internalError("the executor failed on this job: " + e, clock.instant());
        } finally {
            metrics.runEnded();
        }
        metrics.finished(outcome.verdict(), System.nanoTime() - started);
        events.publish(new ExecutionEvent.Finished(job.submissionId(), name, outcome));
        jobs.complete(delivery);
        log.info("{}: submission {} finished: {}", name, job.submissionId(), outcome.verdict());
    }

    /**
     * Watches a job while it runs: renews its claim, however long the run takes, so that no other
     * executor takes it over; and looks for its cancellation twice a second.
     */
    private final class Watch implements AutoCloseable {
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicBoolean cancelled = new AtomicBoolean();

        Watch(JobSource.JobDelivery delivery) {
            Thread.ofVirtual().name(name + "-watch").start(() -> {
                long lastRenewal = System.nanoTime();
                try {
                    while (!done.await(CANCEL_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                        try {
                            if (System.nanoTime() - lastRenewal >= renewEvery.toNanos()) {
                                jobs.renew(delivery);
                                lastRenewal = System.nanoTime();
                            }
                            if (cancellations.isCancelled(delivery.job().submissionId())) {
                                cancelled.set(true);
                            }
                        } catch (QueueException e) {
                            log.warn("{}: cannot watch {}: {}", name, delivery.entryId(), e.getMessage());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        boolean cancelled() {
            return cancelled.get();
        }

        @Override
        public void close() {
            done.countDown();
        }
    }

    /** Asks the slot to stop after the job in hand; returns whether it stopped within {@code limit}. */
    boolean stop(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }
}
