package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Purge on request through the real api; the audit log is read in the api's own database. */
class PurgeApiIT {
    private static final String SECRET = "purge-me-" + UUID.randomUUID();

    private final StackUnderTest stack = new StackUnderTest();
    private final Jdbi database = Jdbi.create(StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL"),
            StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER"), StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD"));

    private JsonNode newKey() {
        var answer = stack.post("/v1/keys", "application/json", "{\"name\":\"it-purge\",\"role\":\"submitter\"}", stack.adminKey());
        assertEquals(201, answer.status(), answer.raw().body());
        return answer.body();
    }

    /** A completed submission of {@code key} that printed {@link #SECRET}; returns its id. */
    private String completed(String key) {
        var answer = stack.post("/v1/submissions?wait=true", "application/json",
                "{\"runtime\":\"python\",\"source\":\"print('" + SECRET + "')\"}", key);
        assertEquals(200, answer.status(), answer.raw().body());
        assertTrue(answer.body().get("stdout").asText().contains(SECRET));
        return answer.body().get("id").asText();
    }

    private List<String> audited(String action, String target) {
        return database.withHandle(h -> h.createQuery("select action || ' ' || target from audit_log where action = :action and target like :target")
                .bind("action", action).bind("target", target + "%").mapTo(String.class).list());
    }

    private long auditEntriesMentioningTheSecret() {
        return database.withHandle(h -> h.createQuery("select count(*) from audit_log where target like :secret")
                .bind("secret", "%" + SECRET + "%").mapTo(Long.class).one());
    }

    @Test
    void ownerPurgeErasesTheContentAndAnotherKeySeesNothing() {
        String owner = newKey().get("key").asText();
        String other = newKey().get("key").asText();
        String id = completed(owner);

        assertEquals(404, stack.delete("/v1/submissions/" + id + "?purge=true", other).status(), "another key cannot purge it");
        var purged = stack.delete("/v1/submissions/" + id + "?purge=true", owner);
        assertEquals(200, purged.status(), purged.raw().body());
        assertTrue(purged.body().hasNonNull("purged_at"));

        var read = stack.get("/v1/submissions/" + id, owner);
        assertEquals(200, read.status());
        assertEquals("accepted", read.body().get("verdict").asText(), "the tombstone keeps the verdict");
        assertFalse(read.body().has("stdout"), read.raw().body());
        assertFalse(read.raw().body().contains(SECRET), read.raw().body());
        assertEquals(404, stack.get("/v1/submissions/" + id, other).status());
        assertEquals(List.of("submission.purge " + id), audited("submission.purge", id));
        assertEquals(0, auditEntriesMentioningTheSecret());
    }

    @Test
    void purgeOfARunningSubmissionCancelsItFirst() {
        String owner = newKey().get("key").asText();
        var queued = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":\"import time\\nprint('" + SECRET + "')\\ntime.sleep(20)\"}", owner);
        assertEquals(202, queued.status(), queued.raw().body());
        String id = queued.body().get("id").asText();
        var purged = stack.delete("/v1/submissions/" + id + "?purge=true", owner);
        assertEquals(200, purged.status(), purged.raw().body());
        assertEquals("cancelled", purged.body().get("status").asText());
        assertTrue(purged.body().hasNonNull("purged_at"));
        assertEquals(List.of("submission.cancel " + id), audited("submission.cancel", id));
    }

    @Test
    void adminKeyPurgeRevokesTheKeyAndErasesEachOfItsSubmissions() {
        JsonNode created = newKey();
        String key = created.get("key").asText();
        String keyId = created.get("id").asText();
        List<String> ids = List.of(completed(key), completed(key));

        assertEquals(403, stack.delete("/v1/keys/" + keyId + "?purge=true", newKey().get("key").asText()).status());
        assertEquals(204, stack.delete("/v1/keys/" + keyId + "?purge=true", stack.adminKey()).status());

        assertEquals(401, stack.get("/v1/submissions/" + ids.getFirst(), key).status(), "the key is revoked");
        for (String id : ids) {
            var read = stack.get("/v1/submissions/" + id, stack.adminKey());
            assertTrue(read.body().hasNonNull("purged_at"), read.raw().body());
            assertFalse(read.raw().body().contains(SECRET), read.raw().body());
        }
        assertEquals(List.of("key.purge " + keyId + " 2"), audited("key.purge", keyId));
    }
}
