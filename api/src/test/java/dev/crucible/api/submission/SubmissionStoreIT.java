package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.ScratchSchema;
import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.http.ApiException;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import dev.crucible.queue.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store against the real PostgreSQL, in a schema of its own that is dropped afterwards. */
class SubmissionStoreIT {
    private ScratchSchema scratch;
    private Jdbi jdbi;
    private SubmissionStore store;
    private Outbox outbox;
    private UUID key;
    private Caller caller;

    @BeforeEach
    void migrate() {
        scratch = new ScratchSchema("submitter", 5, 3);
        jdbi = scratch.jdbi();
        store = new SubmissionStore(jdbi);
        outbox = new Outbox(jdbi);
        key = scratch.keyId();
        caller = new Caller(key, Caller.Role.SUBMITTER, "127.0.0.1");
    }

    @AfterEach
    void dropSchema() {
        scratch.close();
    }

    private UUID queued() {
        return queued(1000);
    }

    private UUID queued(long maxQueued) {
        UUID id = UUID.randomUUID();
        // Refused as the client would be: through the HTTP edge's mapping of the admission's decision.
        SubmissionService.requireAdmitted(store.insertQueued(
                new SubmissionStore.NewSubmission(id, caller, "python", new Job.JobLimits(1000, 64, 1024), "{}", null,
                        Instant.now(), SubmissionStore.Idempotency.NONE),
                new Admission(maxQueued, new SimpleMeterRegistry())), false);
        return id;
    }

    private static ExecutionEvent.Finished finished(UUID id, Verdict verdict, String stdout) {
        return new ExecutionEvent.Finished(id, "executor-test",
                Outcomes.judged(verdict).stdout(stdout.getBytes(StandardCharsets.UTF_8)).stderr(new byte[] {0, 1}).build());
    }

    @Test
    void queuedSubmissionComesWithAnEnqueueIntent() {
        UUID id = queued();
        assertEquals("queued", store.find(id, caller).orElseThrow().status().wireName());
        assertEquals(id, outbox.olderThan(Duration.ZERO, 10).getFirst().submissionId());
    }

    @Test
    void anotherKeyCannotSeeTheSubmission() {
        UUID id = queued();
        assertTrue(store.find(id, new Caller(UUID.randomUUID(), Caller.Role.SUBMITTER, "127.0.0.1")).isEmpty());
    }

    @Test
    void anAdminSeesEverySubmission() {
        UUID id = queued();
        assertTrue(store.find(id, new Caller(UUID.randomUUID(), Caller.Role.ADMIN, "127.0.0.1")).isPresent());
    }

    @Test
    void sameResultTwiceChangesNothing() {
        UUID id = queued();
        assertTrue(store.markFinished(finished(id, Verdict.ACCEPTED, "first")));
        assertFalse(store.markFinished(finished(id, Verdict.RUNTIME_ERROR, "second")));
        SubmissionRecord stored = store.find(id, caller).orElseThrow();
        assertEquals("accepted", stored.outcome().verdict().wireName());
        assertEquals("first", new String(stored.outcome().output().stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void lateStartedEventDoesNotReopenACompletedSubmission() {
        UUID id = queued();
        store.markFinished(finished(id, Verdict.ACCEPTED, "done"));
        assertTrue(store.markStarted(new ExecutionEvent.Started(id, "executor-test", Instant.now())).isEmpty());
        assertEquals("completed", store.find(id, caller).orElseThrow().status().wireName());
    }

    @Test
    void startStoresHowLongTheSubmissionWaited() {
        UUID id = queued();
        Instant created = store.find(id, caller).orElseThrow().times().createdAt();
        Duration wait = store.markStarted(new ExecutionEvent.Started(id, "executor-test", created.plusMillis(1500))).orElseThrow();
        assertEquals(Duration.ofMillis(1500), wait);
        SubmissionRecord stored = store.find(id, caller).orElseThrow();
        assertEquals(1500L, stored.times().queueWaitMs());
        assertEquals(1500L, SubmissionView.of(stored).getTimings().getQueueWaitMs(), "shown while it runs");
    }

    @Test
    void startBeforeCreationByAnotherClockIsNoWait() {
        UUID id = queued();
        Instant created = store.find(id, caller).orElseThrow().times().createdAt();
        assertEquals(Duration.ZERO, store.markStarted(new ExecutionEvent.Started(id, "executor-test", created.minusSeconds(2))).orElseThrow());
    }

    @Test
    void timingsAreStoredWithTheOutcomeAndListed() {
        UUID id = queued();
        var timings = new ExecutionEvent.StageTimings(null, 40L, 12L, 130L, 25L, "hit");
        store.markFinished(new ExecutionEvent.Finished(id, "executor-test",
                finished(id, Verdict.ACCEPTED, "x").outcome().ranOn(null, timings)));
        assertEquals(timings, store.find(id, caller).orElseThrow().outcome().context().timings());
        var listed = store.list(key, new SubmissionStore.ListFilter(null, null, null, null, null), null, 10);
        assertEquals(timings, listed.getFirst().outcome().context().timings());
    }

    @Test
    void outcomeWithoutTimingsStoresNone() {
        UUID id = queued();
        store.markFinished(finished(id, Verdict.ACCEPTED, "x"));
        assertNull(store.find(id, caller).orElseThrow().outcome().context().timings());
    }

    @Test
    void resultOfACancelledSubmissionIsIgnored() {
        UUID id = queued();
        assertTrue(store.cancel(caller, id));
        assertFalse(store.markFinished(finished(id, Verdict.ACCEPTED, "late")));
        assertEquals("cancelled", store.find(id, caller).orElseThrow().status().wireName());
        assertTrue(outbox.olderThan(Duration.ZERO, 10).isEmpty(), "a cancelled submission is not queued again");
    }

    @Test
    void anotherKeyCannotCancel() {
        UUID id = queued();
        assertFalse(store.cancel(new Caller(UUID.randomUUID(), Caller.Role.SUBMITTER, "127.0.0.1"), id));
        assertEquals("queued", store.find(id, caller).orElseThrow().status().wireName());
    }

    @Test
    void nulBytesInOutputAreStoredExactly() {
        UUID id = queued();
        store.markFinished(finished(id, Verdict.ACCEPTED, "x"));
        assertEquals(2, store.find(id, caller).orElseThrow().outcome().output().stderr().length);
    }

    @Test
    void failedInsertLeavesNeitherRowNorIntent() {
        UUID id = queued();
        outbox.done(id);
        assertThrows(RuntimeException.class, () -> store.insertQueued(
                new SubmissionStore.NewSubmission(id, caller, "python", new Job.JobLimits(1, 1, 1), "{}", null, Instant.now(),
                        SubmissionStore.Idempotency.NONE), new Admission(1000, new SimpleMeterRegistry())));
        assertTrue(outbox.olderThan(Duration.ZERO, 10).isEmpty(), "the transaction must not leave an intent behind");
    }

    @Test
    void tooManySubmissionsAtOnceAreRefusedWithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            queued();
        }
        var e = assertThrows(ApiException.TooManyRequests.class, this::queued);
        assertTrue(e.retryAfter().orElseThrow().toMillis() > 0);
    }

    @Test
    void tooManySubmissionsInAMinuteAreRefused() {
        for (int i = 0; i < 5; i++) {
            UUID id = queued();
            store.markFinished(finished(id, Verdict.ACCEPTED, ""));
        }
        var e = assertThrows(ApiException.TooManyRequests.class, this::queued);
        long wait = e.retryAfter().orElseThrow().toSeconds();
        assertTrue(wait > 0 && wait <= 60, "retry after " + wait + " s");
    }

    @Test
    void fullQueueIsRefusedAndStoresNothing() {
        queued();
        assertThrows(ApiException.QueueFull.class, () -> queued(1));
        long stored = jdbi.withHandle(h -> h.createQuery("select count(*) from submissions").mapTo(Long.class).one());
        assertEquals(1, stored);
    }

    @Test
    void everySubmissionIsAudited() {
        UUID id = queued();
        String row = jdbi.withHandle(h -> h.createQuery(
                "select action || ' ' || target || ' ' || client_address from audit_log where api_key_id = :k")
                .bind("k", key).mapTo(String.class).one());
        assertEquals("submission.create " + id + " 127.0.0.1", row);
    }
}
