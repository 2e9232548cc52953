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
 *
 * <p>Stopping is in two steps: {@link #stopTaking} lets the job in hand run on, {@link #handBack}
 * stops it and gives it back to the queue for another executor to run at once.
 */
final class Worker {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration CANCEL_POLL = Duration.ofMillis(500);
    /** A renewal in flight ends within the queue's command timeout. */
    private static final Duration WATCH_END = Duration.ofSeconds(15);

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
    /** Set by {@link #handBack}: the runs in hand end as if cancelled, and their jobs go back to the queue. */
    private final AtomicBoolean handingBack = new AtomicBoolean();

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
            if (loop.running()) {
                handle(delivery);
            } else {
                // Taken while the slot was asked to stop: another executor runs it sooner than a stopping one.
                jobs.handBack(delivery);
                log.info("{}: submission {} handed back unstarted: the executor stops", name, delivery.job().submissionId());
            }
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
        if (!loop.running()) {
            return;
        }
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
        boolean handedBack;
        try (Watch watch = new Watch(delivery)) {
            try {
                outcome = runner.execute(job, watch::cancelled, interlude);
            } catch (Error e) {
                // Out of memory on one job's data, say: that job ends, the slot lives on.
                log.error("{}: submission {} broke the executor", name, job.submissionId(), e);
                outcome = ExecutionEvent.Outcome.internalError("the executor failed on this job: " + e, clock.instant());
            }
            handedBack = watch.stoppedToHandBack();
        } finally {
            metrics.runEnded();
        }
        if (handedBack) {
            // The run was cut short by the executor stopping, not by anything the job did: no outcome is reported.
            jobs.handBack(delivery);
            log.info("{}: submission {} handed back to the queue unfinished: the executor stops", name, job.submissionId());
            return;
        }
        metrics.finished(outcome.verdict(), System.nanoTime() - started);
        // Said before it is reported: a job the log does not call finished was surely not reported by this executor.
        log.info("{}: submission {} finished: {}", name, job.submissionId(), outcome.verdict());
        events.publish(new ExecutionEvent.Finished(job.submissionId(), name, outcome));
        jobs.complete(delivery);
    }

    /**
     * Watches a job while it runs: renews its claim, however long the run takes, so that no other
     * executor takes it over; and looks for its cancellation twice a second.
     */
    private final class Watch implements AutoCloseable {
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean stoppedToHandBack = new AtomicBoolean();
        private final Thread thread;

        Watch(JobSource.JobDelivery delivery) {
            thread = Thread.ofVirtual().name(name + "-watch").start(() -> {
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

        /** What the run asks: whether to stop, cancelled by its submitter or by the slot handing it back. */
        boolean cancelled() {
            if (cancelled.get()) {
                return true;
            }
            if (handingBack.get()) {
                stoppedToHandBack.set(true);
                return true;
            }
            return false;
        }

        /** Whether the run was told to stop to be handed back (and its submitter did not cancel it). */
        boolean stoppedToHandBack() {
            return stoppedToHandBack.get() && !cancelled.get();
        }

        /** Ends the watch and waits for it: a renewal after the job was handed back would hold it here again. */
        @Override
        public void close() {
            done.countDown();
            try {
                thread.join(WATCH_END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the slot to take no more jobs; the job in hand runs on. */
    void stopTaking() throws InterruptedException {
        loop.stop(Duration.ZERO);
    }

    /** Stops the runs in hand and gives their jobs back to the queue; the slot then ends. */
    void handBack() throws InterruptedException {
        handingBack.set(true);
        loop.stop(Duration.ZERO);
    }

    /** Waits up to {@code limit} for the slot to end; returns whether it did. */
    boolean awaitStopped(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }
}
