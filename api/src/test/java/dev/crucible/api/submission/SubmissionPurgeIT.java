package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.ScratchSchema;
import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.webhook.Callback;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The purges against the real PostgreSQL, with a retention of a minute, in a schema that is dropped afterwards. */
class SubmissionPurgeIT {
    private static final Duration RETENTION = Duration.ofMinutes(1);
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofHours(1));

    private ScratchSchema scratch;
    private Jdbi jdbi;
    private SubmissionStore store;
    private SubmissionPurge purge;
    private Caller caller;

    @BeforeEach
    void migrate() {
        // One more submission a minute than the 101 of the batch test, and room for them all at once.
        scratch = new ScratchSchema("submitter", 1000, 200);
        jdbi = scratch.jdbi();
        store = new SubmissionStore(jdbi);
        purge = new SubmissionPurge(jdbi, new ApiConfig.Retention(RETENTION, RETENTION));
        caller = new Caller(scratch.keyId(), Caller.Role.SUBMITTER, "127.0.0.1");
    }

    @AfterEach
    void dropSchema() {
        scratch.close();
    }

    /** A submission of {@code caller} with a callback and an Idempotency-Key, finished at {@code at} with outputs. */
    private UUID finished(Instant at) {
        UUID id = queued();
        assertTrue(store.markFinished(new ExecutionEvent.Finished(id, "executor-test", Outcomes.accepted()
                .stdout("secret out".getBytes(StandardCharsets.UTF_8)).stderr("secret err".getBytes(StandardCharsets.UTF_8))
                .at(at).build())));
        return id;
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        SubmissionService.requireAdmitted(store.insertQueued(new SubmissionStore.NewSubmission(id, caller, "python",
                new Job.JobLimits(1000, 64, 1024), "{\"source\":\"secret source\"}", new Callback("https://example.com/hook", CallbackFormat.CRUCIBLE), Instant.now(),
                new SubmissionStore.Idempotency("idem-" + id, new byte[] {1, 2})), new Admission(1000, new SimpleMeterRegistry())), false);
        return id;
    }

    /** The content columns of a submission's row, in a fixed order, and whether it has a webhook delivery. */
    private List<Object> content(UUID id) {
        return jdbi.withHandle(h -> {
            Map<String, Object> row = h.createQuery("""
                    select job, stdout, stderr, compile_output, test_results, output_files, message, callback_url,
                           idempotency_key, request_hash from submissions where id = :id""").bind("id", id).mapToMap().one();
            long deliveries = h.createQuery("select count(*) from webhook_deliveries where submission_id = :id")
                    .bind("id", id).mapTo(Long.class).one();
            return Arrays.asList(row.get("job"), row.get("stdout"), row.get("stderr"), row.get("compile_output"),
                    row.get("test_results"), row.get("output_files"), row.get("message"), row.get("callback_url"),
                    row.get("idempotency_key"), row.get("request_hash"), deliveries);
        });
    }

    private static final List<Object> ERASED = Arrays.asList("", null, null, null, null, null, null, null, null, null, 0L);

    private List<String> audited(String action) {
        return jdbi.withHandle(h -> h.createQuery("select target from audit_log where action = :action order by id")
                .bind("action", action).mapTo(String.class).list());
    }

    @Test
    void submissionPastItsRetentionIsErasedToATombstone() {
        UUID id = finished(LONG_AGO);
        assertEquals(1, purge.purgeExpired());
        assertEquals(ERASED, content(id));
        SubmissionRecord tombstone = store.find(id, caller).orElseThrow();
        assertEquals(List.of(Status.COMPLETED, "python", caller.keyId(), dev.crucible.queue.Verdict.ACCEPTED, 12L),
                List.of(tombstone.status(), tombstone.runtime(), tombstone.apiKeyId(), tombstone.outcome().verdict(),
                        tombstone.outcome().result().wallTimeMs()));
        assertNotNull(tombstone.times().purgedAt());
        assertNotNull(tombstone.times().finishedAt());
    }

    @Test
    void submissionWithinItsRetentionKeepsItsContent() {
        UUID id = finished(Instant.now());
        assertEquals(0, purge.purgeExpired());
        assertNull(store.find(id, caller).orElseThrow().times().purgedAt());
        assertEquals("secret out", new String((byte[]) content(id).get(1), StandardCharsets.UTF_8));
    }

    @Test
    void keysOwnRetentionOverridesTheServers() {
        jdbi.useHandle(h -> h.execute("update api_keys set retention_days = 1 where id = ?", caller.keyId()));
        UUID id = finished(LONG_AGO);
        assertEquals(0, purge.purgeExpired());
        assertNull(store.find(id, caller).orElseThrow().times().purgedAt());
    }

    @Test
    void queuedSubmissionIsNeverErasedByTheRetention() {
        UUID id = queued();
        jdbi.useHandle(h -> h.execute("update submissions set created_at = now() - interval '1 day' where id = ?", id));
        assertEquals(0, purge.purgeExpired());
        assertTrue(((String) content(id).getFirst()).contains("secret source"));
    }

    @Test
    void expiredSubmissionsAreErasedABatchAtATime() {
        for (int i = 0; i < SubmissionPurge.BATCH + 1; i++) {
            finished(LONG_AGO);
        }
        assertEquals(List.of(SubmissionPurge.BATCH, 1, 0), List.of(purge.purgeExpired(), purge.purgeExpired(), purge.purgeExpired()));
    }

    @Test
    void auditEntriesPastTheirRetentionAreDeleted() {
        UUID old = finished(LONG_AGO);
        jdbi.useHandle(h -> h.execute("update audit_log set at = now() - interval '1 hour' where target = ?", old.toString()));
        UUID recent = finished(Instant.now());
        assertEquals(1, purge.purgeExpiredAudit());
        assertEquals(List.of(recent.toString()), audited("submission.create"));
    }

    @Test
    void ownerPurgeErasesAtOnceAndAuditsOnlyThatItHappened() {
        UUID id = finished(Instant.now());
        assertTrue(purge.purge(caller, id));
        assertEquals(ERASED, content(id));
        assertEquals(List.of(id.toString()), audited("submission.purge"));
    }

    @Test
    void anotherKeyCannotPurgeTheSubmission() {
        UUID id = finished(Instant.now());
        assertFalse(purge.purge(new Caller(UUID.randomUUID(), Caller.Role.SUBMITTER, "127.0.0.1"), id));
        assertFalse(content(id).equals(ERASED));
    }

    @Test
    void runThatFinishesAfterItsCancelAndPurgeStoresNothing() {
        UUID id = queued();
        store.markStarted(new ExecutionEvent.Started(id, "executor-test", Instant.now()));
        assertTrue(store.cancel(caller, id));
        assertTrue(purge.purge(caller, id));
        assertFalse(store.markFinished(new ExecutionEvent.Finished(id, "executor-test",
                Outcomes.accepted().stdout("late".getBytes(StandardCharsets.UTF_8)).build())));
        assertEquals(ERASED, content(id));
    }

    @Test
    void keyPurgeErasesEverySubmissionOfTheKeyAndCountsThemInTheAudit() {
        List<UUID> ids = List.of(finished(Instant.now()), finished(Instant.now()), finished(LONG_AGO));
        Caller admin = new Caller(UUID.randomUUID(), Caller.Role.ADMIN, "127.0.0.1");
        assertEquals(3, purge.purgeKey(admin, caller.keyId()));
        ids.forEach(id -> assertEquals(ERASED, content(id), id.toString()));
        assertEquals(List.of(caller.keyId() + " 3"), audited("key.purge"));
    }

    /** A command with output, of a session of {@code caller} that ended at {@code endedAt}. */
    private UUID sessionCommand(Instant endedAt) {
        UUID session = UUID.randomUUID();
        UUID command = UUID.randomUUID();
        jdbi.useHandle(h -> {
            h.createUpdate("""
                    insert into sessions (id, api_key_id, runtime, memory_mb, command_wall_time_ms, idle_timeout_s, max_lifetime_s,
                                          status, expires_at, sandbox_ms, ended_at, ended_reason)
                    values (:id, :key, 'python', 256, 1000, 60, 600, 'ended', :at, 0, :at, 'deleted')""")
                    .bind("id", session).bind("key", caller.keyId()).bind("at", java.sql.Timestamp.from(endedAt)).execute();
            h.createUpdate("""
                    insert into session_commands (id, session_id, status, argv, result, finished_at)
                    values (:id, :session, 'finished', '["cat", "secret.txt"]', '{"stdout": "secret out"}', now())""")
                    .bind("id", command).bind("session", session).execute();
        });
        return command;
    }

    private String commandContent(UUID command) {
        return jdbi.withHandle(h -> h.createQuery("select argv::text || ' ' || coalesce(result::text, 'null') from session_commands where id = :id")
                .bind("id", command).mapTo(String.class).one());
    }

    @Test
    void sessionCommandsPastTheRetentionAreErasedToTombstones() {
        UUID old = sessionCommand(LONG_AGO);
        UUID recent = sessionCommand(Instant.now());
        assertEquals(1, purge.purgeExpiredSessionCommands());
        assertEquals("[] null", commandContent(old));
        assertTrue(commandContent(recent).contains("secret out"), commandContent(recent));
    }

    @Test
    void keyPurgeErasesTheCommandsOfItsEndedSessions() {
        UUID command = sessionCommand(Instant.now());
        purge.purgeKey(new Caller(UUID.randomUUID(), Caller.Role.ADMIN, "127.0.0.1"), caller.keyId());
        assertEquals("[] null", commandContent(command));
    }
}
