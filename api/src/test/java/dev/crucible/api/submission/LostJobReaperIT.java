package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.ScratchSchema;
import dev.crucible.testsupport.TestRedis;
import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.Caller;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import dev.crucible.queue.JobCodec;
import dev.crucible.queue.JobSource;
import dev.crucible.queue.QueueObserver;
import dev.crucible.queue.QueueSettings;
import dev.crucible.queue.RedisQueue;
import dev.crucible.queue.Verdict;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reaper against the real PostgreSQL (a scratch schema) and the real Redis (a key prefix of its
 * own, which no executor reads), with a bound of one second: a submission whose stream entry is
 * deleted is queued again, and completes; past its deadline it is ended.
 */
class LostJobReaperIT {
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final QueueObserver UNCOUNTED = new QueueObserver() {
        @Override
        public void reclaimed(String stream, int entries) {}

        @Override
        public void deadLettered(String stream) {}
    };

    private final String prefix = "reaper-it-" + UUID.randomUUID();
    private static TestRedis redis;
    private final String redisUri = redis.uri();
    private final JobCodec codec = new JobCodec();
    private ScratchSchema scratch;
    private RedisQueue queue;
    private SubmissionStore store;
    private Outbox outbox;
    private LostJobReaper reaper;
    private Caller caller;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void connect() {
        scratch = new ScratchSchema("submitter", 100, 100);
        queue = RedisQueue.connect(new QueueSettings(redisUri, prefix, Duration.ofSeconds(5), Duration.ofMinutes(2), 3), UNCOUNTED);
        store = new SubmissionStore(scratch.jdbi());
        outbox = new Outbox(scratch.jdbi());
        reaper = new LostJobReaper(scratch.jdbi(), store, queue.liveJobs(), new ChangeSignals(), BOUND, Clock.systemUTC());
        caller = new Caller(scratch.keyId(), Caller.Role.ADMIN, "127.0.0.1");
    }

    @AfterEach
    void cleanUp() {
        queue.close();
        withRedis(redis -> {
            List<String> keys = redis.keys(prefix + ":*");
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
        });
        scratch.close();
    }

    private void withRedis(Consumer<RedisCommands<String, String>> use) {
        RedisClient client = RedisClient.create(redisUri);
        try (var connection = client.connect()) {
            use.accept(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    /** The queue losing its data: every entry of the job stream deleted, the group and its claims left as they were. */
    private void loseTheQueuedJobs() {
        withRedis(redis -> {
            redis.del(prefix + ":waiting");
            List<StreamMessage<String, String>> entries = redis.xrange(prefix + ":jobs", Range.create("-", "+"));
            if (!entries.isEmpty()) {
                redis.xdel(prefix + ":jobs", entries.stream().map(StreamMessage::getId).toArray(String[]::new));
            }
        });
    }

    /** A submission stored as the api stores it, and handed to the queue as the outbox relay hands it. */
    private UUID submittedAndQueued() {
        UUID id = UUID.randomUUID();
        Job job = new Job(id, "python", new Job.Code(List.of(new Job.JobFile("main.py", "print(1)".getBytes())), "main.py"),
                new Job.Input(new byte[0], List.of()), new Job.JobLimits(1000, 64, 1024), Job.Testing.NONE, Job.RunOptions.ONCE);
        SubmissionService.requireAdmitted(store.insertQueued(new SubmissionStore.NewSubmission(id, caller, "python",
                job.limits(), codec.encode(job), null, Instant.now(), SubmissionStore.Idempotency.NONE), new Admission(1000, new SimpleMeterRegistry())), false);
        relayIntents();
        return id;
    }

    /** What the outbox relay does, without its grace period. */
    private int relayIntents() {
        List<Outbox.PendingJob> pending = outbox.olderThan(Duration.ZERO, 100);
        for (Outbox.PendingJob job : pending) {
            queue.jobQueue().enqueue(job.submissionId(), job.keyId().toString(), job.job());
            outbox.done(job.submissionId());
        }
        return pending.size();
    }

    private SubmissionRecord stored(UUID id) {
        return store.find(id, caller).orElseThrow();
    }

    /** Past the bound, two looks of the reaper: the first only notes what is missing. */
    private int reapedAfter(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        reaper.reapOnce();
        return reaper.reapOnce();
    }

    @Test
    void queuedSubmissionWhoseJobWasLostIsQueuedAgainAndCompletes() throws InterruptedException {
        UUID id = submittedAndQueued();
        loseTheQueuedJobs();
        assertEquals(1, reapedAfter(BOUND.plusMillis(200)));
        assertEquals(1, relayIntents());
        JobSource executor = queue.jobSource("executor-it", (lost, reason) -> {});
        List<JobSource.JobDelivery> taken = executor.take(1, Duration.ofSeconds(2));
        assertEquals(id, taken.getFirst().job().submissionId());
        assertTrue(store.markFinished(new ExecutionEvent.Finished(id, "executor-it", Outcomes.judged(Verdict.ACCEPTED).build())));
        assertEquals(Verdict.ACCEPTED, stored(id).outcome().verdict());
    }

    @Test
    void runningSubmissionWhoseJobWasLostIsQueuedAgain() throws InterruptedException {
        UUID id = submittedAndQueued();
        queue.jobSource("executor-it", (lost, reason) -> {}).take(1, Duration.ofSeconds(2));
        store.markStarted(new ExecutionEvent.Started(id, "executor-it", Instant.now()));
        assertEquals(Status.RUNNING, stored(id).status());
        loseTheQueuedJobs();
        assertEquals(1, reapedAfter(BOUND.plusMillis(200)));
        assertEquals(Status.QUEUED, stored(id).status());
        assertEquals(1, relayIntents());
        assertEquals(Set.of(id), queue.liveJobs().submissionIds());
    }

    @Test
    void aJobMissingOnOneLookOnlyIsNotQueuedAgain() throws InterruptedException {
        UUID id = submittedAndQueued();
        loseTheQueuedJobs();
        Thread.sleep(BOUND.plusMillis(200).toMillis());
        assertEquals(0, reaper.reapOnce());
        assertEquals(0, relayIntents());
        assertEquals(Status.QUEUED, stored(id).status());
    }

    @Test
    void submissionWhoseJobIsStillInTheStreamIsLeftAlone() throws InterruptedException {
        UUID id = submittedAndQueued();
        assertEquals(0, reapedAfter(BOUND.plusMillis(200)));
        assertEquals(0, relayIntents());
        assertEquals(Status.QUEUED, stored(id).status());
    }

    @Test
    void lostSubmissionPastItsDeadlineEndsAsInternalErrorSayingTheQueueLostIt() throws InterruptedException {
        UUID id = submittedAndQueued();
        loseTheQueuedJobs();
        assertEquals(1, reapedAfter(BOUND.multipliedBy(3).plusMillis(200)));
        SubmissionRecord ended = stored(id);
        assertEquals(Status.COMPLETED, ended.status());
        assertEquals(Verdict.INTERNAL_ERROR, ended.outcome().verdict());
        String message = ended.outcome().diagnostics().message();
        assertTrue(message.contains("lost by the queue"), message);
        assertEquals(0, relayIntents());
    }
}
