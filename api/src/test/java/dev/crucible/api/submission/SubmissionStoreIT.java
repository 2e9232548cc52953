package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.StackUnderTest;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store against the real PostgreSQL, in a schema of its own that is dropped afterwards. */
class SubmissionStoreIT {
    private final String schema = "store_it_" + UUID.randomUUID().toString().replace("-", "");
    private Jdbi jdbi;
    private SubmissionStore store;
    private UUID key;

    @BeforeEach
    void migrate() {
        String url = StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL");
        String user = StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER");
        String password = StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD");
        Flyway.configure().dataSource(url, user, password).schemas(schema).createSchemas(true).load().migrate();
        jdbi = Jdbi.create(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
        store = new SubmissionStore(jdbi);
        key = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("insert into api_keys (id, name, role, key_hash) values (?, 'test', 'admin', ?)",
                key, key.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void dropSchema() {
        jdbi.useHandle(h -> h.execute("drop schema " + schema + " cascade"));
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        store.insertQueued(id, key, "python", 1000, 64, 1024, "{}", Instant.now());
        return id;
    }

    private static ExecutionEvent.Finished finished(UUID id, Verdict verdict, String stdout) {
        Instant now = Instant.now();
        return new ExecutionEvent.Finished(id, "executor-test", new ExecutionEvent.Outcome(verdict, 0, null,
                stdout.getBytes(StandardCharsets.UTF_8), 0, new byte[] {0, 1}, 0, 12L, now, now, null));
    }

    @Test
    void queuedSubmissionComesWithAnEnqueueIntent() {
        UUID id = queued();
        assertEquals("queued", store.find(id, key).orElseThrow().status());
        assertEquals(id, store.outboxOlderThan(Duration.ZERO, 10).getFirst().submissionId());
    }

    @Test
    void anotherKeyCannotSeeTheSubmission() {
        UUID id = queued();
        assertTrue(store.find(id, UUID.randomUUID()).isEmpty());
    }

    @Test
    void sameResultTwiceChangesNothing() {
        UUID id = queued();
        assertTrue(store.markFinished(finished(id, Verdict.ACCEPTED, "first")));
        assertFalse(store.markFinished(finished(id, Verdict.RUNTIME_ERROR, "second")));
        SubmissionRecord stored = store.find(id, key).orElseThrow();
        assertEquals("accepted", stored.verdict());
        assertEquals("first", new String(stored.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void lateStartedEventDoesNotReopenACompletedSubmission() {
        UUID id = queued();
        store.markFinished(finished(id, Verdict.ACCEPTED, "done"));
        assertFalse(store.markStarted(new ExecutionEvent.Started(id, "executor-test", Instant.now())));
        assertEquals("completed", store.find(id, key).orElseThrow().status());
    }

    @Test
    void nulBytesInOutputAreStoredExactly() {
        UUID id = queued();
        store.markFinished(finished(id, Verdict.ACCEPTED, "x"));
        assertEquals(2, store.find(id, key).orElseThrow().stderr().length);
    }

    @Test
    void failedInsertLeavesNeitherRowNorIntent() {
        UUID id = queued();
        store.outboxDone(id);
        assertThrows(RuntimeException.class, () -> store.insertQueued(id, key, "python", 1, 1, 1, "{}", Instant.now()));
        assertTrue(store.outboxOlderThan(Duration.ZERO, 10).isEmpty(), "the transaction must not leave an intent behind");
    }
}
