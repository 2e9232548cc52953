package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue against a real Redis of its own, each test under a key prefix of its own. */
class RedisQueueIT {
    private static TestRedis redis;
    private final String prefix = "queue-it-" + UUID.randomUUID();
    private final String uri = redis.uri();
    private final JobCodec codec = new JobCodec();
    private final Map<String, AtomicInteger> counted = new ConcurrentHashMap<>();
    /** Counts what the queue reports, by what and stream: "reclaimed jobs", "dead-lettered jobs". */
    private final QueueObserver observed = new QueueObserver() {
        @Override
        public void reclaimed(String stream, int entries) {
            counted.computeIfAbsent("reclaimed " + stream, k -> new AtomicInteger()).addAndGet(entries);
        }

        @Override
        public void deadLettered(String stream) {
            counted.computeIfAbsent("dead-lettered " + stream, k -> new AtomicInteger()).incrementAndGet();
        }
    };

    private int counted(String what) {
        return counted.getOrDefault(what, new AtomicInteger()).get();
    }

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private RedisQueue connect(Duration reclaimAfter) {
        return connect(reclaimAfter, Duration.ofSeconds(5));
    }

    private RedisQueue connect(Duration reclaimAfter, Duration commandTimeout) {
        return RedisQueue.connect(new QueueSettings(uri, prefix, commandTimeout, reclaimAfter, 3), observed);
    }

    /** An entry written into the job stream itself, as an api from before lanes did, or anything else with access to Redis. */
    private void putOnTheJobStream(Map<String, String> fields) {
        RedisClient client = RedisClient.create(uri);
        try (var raw = client.connect()) {
            raw.sync().xadd(prefix + ":jobs", fields);
        } finally {
            client.shutdown();
        }
    }

    private void enqueue(RedisQueue queue, String lane, Job job) {
        queue.jobQueue().enqueue(job.submissionId(), lane, codec.encode(job));
    }

    @AfterEach
    void removeKeys() {
        RedisClient client = RedisClient.create(uri);
        try (var connection = client.connect()) {
            List<String> keys = connection.sync().keys(prefix + ":*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    /**
     * A consumer that ends given-up jobs as the executor does, as internal_error: the queue itself
     * makes no verdict.
     */
    private static JobSource jobSource(RedisQueue queue, String consumer) {
        return queue.jobSource(consumer, (id, reason) -> queue.eventSink().publish(
                new ExecutionEvent.Finished(id, "queue", ExecutionEvent.Outcome.internalError(reason, Instant.now()))));
    }

    private static Job job() {
        return new Job(UUID.randomUUID(), "python", new Job.Code(List.of(new Job.JobFile("main.py", new byte[] {0, 1, 2})), "main.py"),
                new Job.Input("in".getBytes(), List.of("a b")), new Job.JobLimits(1000, 64, 1024), Job.Testing.NONE, Job.RunOptions.ONCE);
    }

    @Test
    void jobTravelsIntactToAnExecutor() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            List<JobSource.JobDelivery> taken = jobSource(queue, "executor-a").take(10, Duration.ofSeconds(2));
            assertEquals(1, taken.size());
            Job received = taken.getFirst().job();
            assertEquals(sent.submissionId(), received.submissionId());
            assertArrayEquals(new byte[] {0, 1, 2}, received.code().files().getFirst().content());
            assertEquals(List.of("a b"), received.input().args());
        }
    }

    @Test
    void unacknowledgedJobIsRedeliveredAfterTheExecutorRestarts() {
        Job sent = job();
        try (RedisQueue first = connect(Duration.ofMinutes(2))) {
            first.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            assertEquals(1, jobSource(first, "executor-a").take(1, Duration.ofSeconds(2)).size());
            // the executor dies here, before it completes the job
        }
        try (RedisQueue restarted = connect(Duration.ofMinutes(2))) {
            List<JobSource.JobDelivery> again = jobSource(restarted, "executor-a").take(1, Duration.ofSeconds(2));
            assertEquals(sent.submissionId(), again.getFirst().job().submissionId());
        }
    }

    @Test
    void completedJobIsNotDeliveredAgain() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            JobSource source = jobSource(queue, "executor-a");
            source.complete(source.take(1, Duration.ofSeconds(2)).getFirst());
            assertTrue(jobSource(queue, "executor-a").take(1, Duration.ofMillis(200)).isEmpty());
            assertEquals(0, queue.jobBacklog());
        }
    }

    @Test
    void liveJobsAreTheQueuedAndTheTakenButNotTheCompleted() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            List<Job> sent = Stream.generate(RedisQueueIT::job).limit(250).toList();
            sent.forEach(job -> queue.jobQueue().enqueue(job.submissionId(), "lane-a", codec.encode(job)));
            JobSource source = jobSource(queue, "executor-a");
            List<JobSource.JobDelivery> taken = source.take(2, Duration.ofSeconds(2));
            source.complete(taken.getFirst());
            // 250 spans several pages of the listing; the second taken job is running, not queued.
            Set<UUID> expected = new HashSet<>(sent.stream().map(Job::submissionId).toList());
            expected.remove(taken.getFirst().job().submissionId());
            assertEquals(expected, queue.liveJobs().submissionIds());
        }
    }

    @Test
    void jobOfADeadExecutorIsReclaimedByAnother() throws Exception {
        try (RedisQueue queue = connect(Duration.ofMillis(300))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            assertEquals(1, jobSource(queue, "executor-dead").take(1, Duration.ofSeconds(2)).size());
            JobSource other = jobSource(queue, "executor-b");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            List<JobSource.JobDelivery> reclaimed = List.of();
            while (reclaimed.isEmpty() && System.nanoTime() < deadline) {
                reclaimed = other.take(1, Duration.ofMillis(100));
            }
            assertEquals(sent.submissionId(), reclaimed.getFirst().job().submissionId());
            assertEquals(1, counted("reclaimed jobs"));
        }
    }

    @Test
    void jobThatKeepsKillingItsExecutorsIsGivenUp() throws Exception {
        try (RedisQueue queue = connect(Duration.ofMillis(100))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            int handedOut = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // Each consumer takes the job and "dies" (never completes it); the next reclaims it.
            for (int consumer = 0; System.nanoTime() < deadline; consumer++) {
                List<JobSource.JobDelivery> taken = jobSource(queue, "executor-" + consumer).take(1, Duration.ofMillis(150));
                handedOut += taken.size();
                var events = queue.eventSource("api-a").take(10, Duration.ofMillis(10));
                if (!events.isEmpty()) {
                    var finished = assertInstanceOf(ExecutionEvent.Finished.class, events.getFirst().event());
                    assertEquals(sent.submissionId(), finished.submissionId());
                    assertEquals(Verdict.INTERNAL_ERROR, finished.outcome().verdict());
                    assertEquals(3, handedOut, "handed out exactly maxDeliveries times");
                    assertEquals(0, queue.jobBacklog(), "the job left the stream");
                    assertEquals(1, counted("dead-lettered jobs"));
                    return;
                }
            }
            throw new AssertionError("the job was never given up; handed out " + handedOut + " times");
        }
    }

    @Test
    void jobHandedBackIsTakenByTheNextTakeOfAnotherConsumerLongBeforeTheReclaimTime() {
        try (RedisQueue queue = connect(Duration.ofHours(1))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            JobSource stopping = jobSource(queue, "executor-stopping");
            stopping.handBack(stopping.take(1, Duration.ofSeconds(2)).getFirst());
            List<JobSource.JobDelivery> taken = jobSource(queue, "executor-b").take(1, Duration.ZERO);
            assertEquals(sent.submissionId(), taken.getFirst().job().submissionId());
        }
    }

    @Test
    void handingAJobBackDoesNotCountAsADeliveryAgainstIt() {
        // At most three deliveries: handed back three times, it is still taken a fourth time and not given up.
        try (RedisQueue queue = connect(Duration.ofHours(1))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            for (int executor = 0; executor < 3; executor++) {
                JobSource source = jobSource(queue, "executor-" + executor);
                source.handBack(source.take(1, Duration.ofSeconds(2)).getFirst());
            }
            List<JobSource.JobDelivery> fourth = jobSource(queue, "executor-last").take(1, Duration.ZERO);
            assertEquals(sent.submissionId(), fourth.getFirst().job().submissionId());
            assertEquals(0, counted("dead-lettered jobs"));
        }
    }

    @Test
    void renewedJobIsNotReclaimedWhileItRuns() throws Exception {
        try (RedisQueue queue = connect(Duration.ofMillis(500))) {
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            JobSource running = jobSource(queue, "executor-busy");
            JobSource.JobDelivery delivery = running.take(1, Duration.ofSeconds(2)).getFirst();
            JobSource other = jobSource(queue, "executor-b");
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                running.renew(delivery);
                assertTrue(other.take(1, Duration.ofMillis(100)).isEmpty(), "a renewed job must stay with its executor");
            }
        }
    }

    @Test
    void unreadableJobEndsItsSubmissionAsInternalError() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            UUID id = UUID.randomUUID();
            putOnTheJobStream(Map.of("submission_id", id.toString(), "job", "{\"submissionId\":null}"));
            assertTrue(jobSource(queue, "executor-a").take(10, Duration.ofSeconds(1)).isEmpty());
            var events = queue.eventSource("api-a").take(10, Duration.ofSeconds(2));
            var finished = assertInstanceOf(ExecutionEvent.Finished.class, events.getFirst().event());
            assertEquals(id, finished.submissionId());
            assertEquals(Verdict.INTERNAL_ERROR, finished.outcome().verdict());
        }
    }

    @Test
    void eventsKeepTheirKind() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            UUID id = UUID.randomUUID();
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            queue.eventSink().publish(new ExecutionEvent.Started(id, "executor-a", now));
            queue.eventSink().publish(new ExecutionEvent.Finished(id, "executor-a",
                    ExecutionEvent.Outcome.internalError("boom", now)));
            List<EventSource.EventDelivery> events = queue.eventSource("api-a").take(10, Duration.ofSeconds(2));
            assertInstanceOf(ExecutionEvent.Started.class, events.get(0).event());
            var finished = assertInstanceOf(ExecutionEvent.Finished.class, events.get(1).event());
            assertEquals(Verdict.INTERNAL_ERROR, finished.outcome().verdict());
            assertEquals("boom", finished.outcome().diagnostics().message());
        }
    }

    @Test
    void unreadableEntryIsDeadLetteredAndDoesNotBlockTheNext() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            putOnTheJobStream(Map.of("job", "{not json"));
            Job sent = job();
            queue.jobQueue().enqueue(sent.submissionId(), "lane-a", codec.encode(sent));
            JobSource source = jobSource(queue, "executor-a");
            List<JobSource.JobDelivery> taken = source.take(10, Duration.ofSeconds(2));
            assertEquals(1, taken.size());
            assertEquals(sent.submissionId(), taken.getFirst().job().submissionId());
            assertEquals(1, counted("dead-lettered jobs"));
        }
    }

    @Test
    void oldestJobIsDatedByWhenItWasEnqueued() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            assertTrue(queue.oldestJobEnqueuedAt().isEmpty());
            Instant before = Instant.now().minusSeconds(1);
            Job first = job();
            queue.jobQueue().enqueue(first.submissionId(), "lane-a", codec.encode(first));
            Job second = job();
            queue.jobQueue().enqueue(second.submissionId(), "lane-a", codec.encode(second));
            Instant oldest = queue.oldestJobEnqueuedAt().orElseThrow();
            assertTrue(!oldest.isBefore(before) && !oldest.isAfter(Instant.now().plusSeconds(1)), oldest.toString());
            JobSource source = jobSource(queue, "executor-a");
            source.complete(source.take(1, Duration.ofSeconds(2)).getFirst());
            assertTrue(!queue.oldestJobEnqueuedAt().orElseThrow().isBefore(oldest), "a completed job leaves the stream");
        }
    }

    @Test
    void heartbeatsCountAsLiveExecutors() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            queue.executorRegistry().heartbeat("executor-a", true);
            queue.executorRegistry().heartbeat("executor-b", true);
            assertEquals(2, queue.executorRegistry().liveCount(Duration.ofSeconds(15)));
        }
    }

    @Test
    void anExecutorWhoseSandboxHostFailedIsLiveButNotHealthy() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            queue.executorRegistry().heartbeat("executor-a", true);
            queue.executorRegistry().heartbeat("executor-b", true);
            queue.executorRegistry().heartbeat("executor-b", false);
            assertEquals(2, queue.executorRegistry().liveCount(Duration.ofSeconds(15)));
            assertEquals(1, queue.executorRegistry().healthyCount(Duration.ofSeconds(15)));
        }
    }

    @Test
    void laneWithABacklogDelaysAnotherLanesJobByOneJobAtMost() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Stream.generate(RedisQueueIT::job).limit(200).forEach(job -> enqueue(queue, "flooder", job));
            Job victim = job();
            enqueue(queue, "victim", victim);
            JobSource source = jobSource(queue, "executor-a");
            JobSource.JobDelivery first = source.take(1, Duration.ofSeconds(2)).getFirst();
            JobSource.JobDelivery second = source.take(1, Duration.ofSeconds(2)).getFirst();
            assertEquals("flooder", first.lane());
            assertEquals(victim.submissionId(), second.job().submissionId());
            assertEquals("victim", second.lane());
        }
    }

    @Test
    void lanesTakeTurns() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            for (int i = 0; i < 3; i++) {
                enqueue(queue, "a", job());
                enqueue(queue, "b", job());
                enqueue(queue, "c", job());
            }
            List<String> lanes = jobSource(queue, "executor-a").take(9, Duration.ofSeconds(2)).stream()
                    .map(JobSource.JobDelivery::lane).toList();
            assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), lanes);
        }
    }

    @Test
    void takeFromOtherLanePassesOverTheLaneInHand() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Stream.generate(RedisQueueIT::job).limit(3).forEach(job -> enqueue(queue, "long", job));
            Job other = job();
            enqueue(queue, "short", other);
            JobSource source = jobSource(queue, "executor-a");
            assertEquals(other.submissionId(), source.takeFromOtherLane("long").orElseThrow().job().submissionId());
            assertTrue(source.takeFromOtherLane("long").isEmpty(), "only the lane in hand has jobs left");
            assertEquals(3, source.take(10, Duration.ofSeconds(2)).size(), "its jobs still wait for their turn");
        }
    }

    @Test
    void cancelledWaitingJobIsNeverHandedOutAndLeavesRedis() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Job cancelled = job();
            Job next = job();
            enqueue(queue, "a", cancelled);
            enqueue(queue, "a", next);
            queue.cancellations().cancel(cancelled.submissionId());
            assertEquals(Set.of(next.submissionId()), queue.liveJobs().submissionIds());
            List<JobSource.JobDelivery> taken = jobSource(queue, "executor-a").take(10, Duration.ofSeconds(2));
            assertEquals(List.of(next.submissionId()), taken.stream().map(d -> d.job().submissionId()).toList());
        }
    }

    @Test
    void jobEnqueuedTwiceWhileWaitingRunsOnce() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Job sent = job();
            enqueue(queue, "a", sent);
            enqueue(queue, "a", sent);
            assertEquals(1, queue.jobBacklog());
            assertEquals(1, jobSource(queue, "executor-a").take(10, Duration.ofSeconds(2)).size());
        }
    }

    @Test
    void idleExecutorWakesWhenAJobArrives() throws Exception {
        // A wait far longer than the test's deadline: only the doorbell can end it in time.
        try (RedisQueue queue = connect(Duration.ofMinutes(2), Duration.ofSeconds(121))) {
            JobSource source = jobSource(queue, "executor-a");
            var taken = CompletableFuture.supplyAsync(() -> source.take(1, Duration.ofMinutes(2)));
            Job sent = job();
            enqueue(queue, "a", sent);
            List<JobSource.JobDelivery> delivered = taken.get(60, TimeUnit.SECONDS);
            assertEquals(sent.submissionId(), delivered.getFirst().job().submissionId());
        }
    }

    @Test
    void jobPutOnTheStreamByAnOlderApiStillRuns() {
        try (RedisQueue queue = connect(Duration.ofMinutes(2))) {
            Job sent = job();
            putOnTheJobStream(Map.of("submission_id", sent.submissionId().toString(), "job", codec.encode(sent)));
            JobSource.JobDelivery delivery = jobSource(queue, "executor-a").take(1, Duration.ofSeconds(2)).getFirst();
            assertEquals(sent.submissionId(), delivery.job().submissionId());
            assertEquals("", delivery.lane());
        }
    }

    /**
     * Redis holds only work in flight: across thousands of jobs, with executors and api consumers
     * dying with work in hand (taken over by the next after the reclaim time), the job stream holds
     * no more than the jobs being run, the event stream no more than the events not yet stored, and
     * both end empty, with every job's event stored.
     */
    @Test
    void streamsHoldOnlyWorkInFlightAcrossThousandsOfJobsWithConsumersKilled() {
        int waves = 10;
        int perWave = 300;
        RedisClient client = RedisClient.create(uri);
        try (RedisQueue queue = connect(Duration.ofMillis(200)); var raw = client.connect()) {
            Set<UUID> sent = new HashSet<>();
            Set<UUID> stored = new HashSet<>();
            Set<UUID> abandonedOnce = new HashSet<>();
            int executors = 0;
            int apis = 0;
            JobSource executor = jobSource(queue, "executor-0");
            EventSource api = queue.eventSource("api-0");
            long longestJobStream = 0;
            long longestEventStream = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            long lastDeath = 0;
            for (int wave = 0, round = 0; wave < waves; wave++) {
                for (int i = 0; i < perWave; i++) {
                    Job job = job();
                    sent.add(job.submissionId());
                    enqueue(queue, "lane-" + i % 5, job);
                }
                while (!stored.equals(sent)) {
                    assertTrue(System.nanoTime() < deadline, "wave " + wave + ": " + stored.size() + " of " + sent.size() + " stored");
                    round++;
                    List<JobSource.JobDelivery> taken = executor.take(10, Duration.ofMillis(100));
                    List<UUID> ids = taken.stream().map(d -> d.job().submissionId()).toList();
                    // Every ninth executor dies with its jobs in hand, never twice on one job: a third
                    // delivery would be within the bound, but this test is about the streams, not the bound.
                    // Deaths are a reclaim time apart, so that one dead executor's batch waits at a time
                    // (nine quick rounds once took less, and two batches waited: 30 entries).
                    if (round % 9 == 0 && !ids.isEmpty() && ids.stream().noneMatch(abandonedOnce::contains)
                            && System.nanoTime() - lastDeath > Duration.ofMillis(300).toNanos()) {
                        abandonedOnce.addAll(ids);
                        lastDeath = System.nanoTime();
                        executor = jobSource(queue, "executor-" + ++executors);
                    } else {
                        for (JobSource.JobDelivery delivery : taken) {
                            queue.eventSink().publish(new ExecutionEvent.Finished(delivery.job().submissionId(), "executor",
                                    ExecutionEvent.Outcome.internalError("done", Instant.now())));
                            executor.complete(delivery);
                        }
                    }
                    List<EventSource.EventDelivery> events = api.take(50, Duration.ofMillis(10));
                    if (round % 13 == 0 && !events.isEmpty()) {
                        api = queue.eventSource("api-" + ++apis);
                    } else {
                        for (EventSource.EventDelivery event : events) {
                            stored.add(event.event().submissionId());
                            api.acknowledge(event);
                        }
                    }
                    longestJobStream = Math.max(longestJobStream, raw.sync().xlen(prefix + ":jobs"));
                    longestEventStream = Math.max(longestEventStream, raw.sync().xlen(prefix + ":events"));
                }
            }
            assertTrue(executors > 10 && apis > 5, executors + " executors and " + apis + " api consumers died");
            // Held: one batch being run, one a dead executor left; the events of a dead api's batch and those since.
            assertTrue(longestJobStream <= 20, "the job stream held " + longestJobStream);
            assertTrue(longestEventStream <= 100, "the event stream held " + longestEventStream);
            var redis = raw.sync();
            assertEquals(List.of(0L, 0L, 0L, 0L), List.of(redis.xlen(prefix + ":jobs"), redis.xlen(prefix + ":events"),
                    redis.hlen(prefix + ":waiting"), redis.xlen(prefix + ":dead")), "jobs, events, waiting, dead letters");
            assertEquals(List.of(), redis.keys(prefix + ":lane:*"));
            assertEquals(0, redis.xpending(prefix + ":jobs", "executors").getCount());
            assertEquals(0, redis.xpending(prefix + ":events", "api").getCount());
        } finally {
            client.shutdown();
        }
    }
}
