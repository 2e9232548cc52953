package dev.crucible.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keys, roles and quotas through the real api. */
class KeysApiIT {
    private final StackUnderTest stack = new StackUnderTest();

    private JsonNode newKey(String role, String extra) {
        var answer = stack.post("/v1/keys", "application/json",
                "{\"name\":\"it-" + role + "\",\"role\":\"" + role + "\"" + extra + "}", stack.adminKey());
        assertEquals(201, answer.status(), answer.raw().body());
        return answer.body();
    }

    private StackUnderTest.Answer submit(String key, String source) {
        return stack.post("/v1/submissions", "application/json", "{\"runtime\":\"python\",\"source\":\"" + source + "\"}", key);
    }

    private int delete(String path, String key) throws Exception {
        URI uri = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL")).resolve(path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void keysOwnRetentionIsSetAtCreationAndListed() {
        JsonNode created = newKey("submitter", ",\"retention_days\":7");
        assertEquals(7, created.get("retention_days").asInt());
        for (JsonNode k : stack.get("/v1/keys", stack.adminKey()).body()) {
            if (k.get("id").asText().equals(created.get("id").asText())) {
                assertEquals(7, k.get("retention_days").asInt());
                return;
            }
        }
        throw new AssertionError("the new key is not listed");
    }

    @Test
    void newKeyIsShownOnceWithItsWebhookSecret() {
        JsonNode created = newKey("submitter", "");
        String key = created.get("key").asText();
        assertTrue(key.startsWith("cru_"));
        assertEquals(ApiKeyStore.webhookSecret(key), created.get("webhook_secret").asText());
        JsonNode listed = stack.get("/v1/keys", stack.adminKey()).body();
        boolean found = false;
        for (JsonNode k : listed) {
            assertFalse(k.has("key") || k.has("webhook_secret"), "a listing never shows secrets");
            found |= k.get("id").asText().equals(created.get("id").asText());
        }
        assertTrue(found);
    }

    @Test
    void submitterSeesItsOwnSubmissionsOnly() {
        String submitter = newKey("submitter", "").get("key").asText();
        String own = submit(submitter, "print(1)").body().get("id").asText();
        assertEquals(200, stack.get("/v1/submissions/" + own, submitter).status());
        String admins = submit(stack.adminKey(), "print(2)").body().get("id").asText();
        assertEquals(404, stack.get("/v1/submissions/" + admins, submitter).status(), "another key's submission is not found");
        assertEquals(200, stack.get("/v1/submissions/" + own, stack.adminKey()).status(), "an admin sees everything");
    }

    @Test
    void viewerCannotSubmit() {
        String viewer = newKey("viewer", "").get("key").asText();
        var answer = submit(viewer, "print(1)");
        assertEquals(403, answer.status());
        assertEquals("forbidden", answer.body().get("code").asText());
        assertEquals(200, stack.get("/v1/runtimes", viewer).status());
    }

    @Test
    void onlyAnAdminManagesKeys() {
        String submitter = newKey("submitter", "").get("key").asText();
        var answer = stack.post("/v1/keys", "application/json", "{\"name\":\"x\",\"role\":\"admin\"}", submitter);
        assertEquals(403, answer.status());
        assertEquals(403, stack.get("/v1/keys", submitter).status());
    }

    @Test
    void revokedKeyStopsWorkingAtOnce() throws Exception {
        JsonNode created = newKey("submitter", "");
        String key = created.get("key").asText();
        assertEquals(200, stack.get("/v1/runtimes", key).status());
        assertEquals(204, delete("/v1/keys/" + created.get("id").asText(), stack.adminKey()));
        assertEquals(401, stack.get("/v1/runtimes", key).status());
    }

    @Test
    void theDatabaseHoldsAKeysWebhookSecretSealedOnly() throws Exception {
        JsonNode created = newKey("submitter", "");
        String secret = created.get("webhook_secret").asText();
        try (Connection db = DriverManager.getConnection(StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL"),
                StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER"), StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD"));
             PreparedStatement query = db.prepareStatement("select webhook_secret from api_keys where id = ?")) {
            query.setObject(1, UUID.fromString(created.get("id").asText()));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                String stored = row.getString(1);
                assertTrue(stored.startsWith("v1:") && !stored.contains(secret), stored);
            }
        }
    }

    /** A program that outlives every bound below: only the revocation can end what waits for it. */
    private static final String SLOW = "{\"runtime\":\"python\",\"source\":\"import time\\ntime.sleep(20)\"}";

    @Test
    void revokingAKeyEndsItsWaitingRequestWithA401() throws Exception {
        JsonNode created = newKey("submitter", "");
        URI api = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL"));
        CompletableFuture<HttpResponse<String>> waiting = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(api.resolve("/v1/submissions?wait=true")).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + created.get("key").asText()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(SLOW)).build(), HttpResponse.BodyHandlers.ofString());
        String id = awaitOwnSubmission(created.get("key").asText());
        assertEquals(204, delete("/v1/keys/" + created.get("id").asText(), stack.adminKey()));
        HttpResponse<String> answer = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("revoked"), answer.body());
        stack.delete("/v1/submissions/" + id, stack.adminKey());
    }

    @Test
    void revokingAKeyEndsItsOpenEventStream() throws Exception {
        JsonNode created = newKey("submitter", "");
        String key = created.get("key").asText();
        var submitted = stack.post("/v1/submissions", "application/json", SLOW, key);
        assertEquals(202, submitted.status(), submitted.raw().body());
        String id = submitted.body().get("id").asText();
        URI api = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL"));
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(api.resolve("/v1/submissions/" + id + "/events"))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> stream.body().forEach(lines::add));
        Await.until("the stream's first state", Duration.ofSeconds(10), () -> lines.stream().anyMatch(l -> l.startsWith("data:")));
        assertEquals(204, delete("/v1/keys/" + created.get("id").asText(), stack.adminKey()));
        ended.get(5, TimeUnit.SECONDS);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"completed\"")), "it ended before the program did: " + lines);
        stack.delete("/v1/submissions/" + id, stack.adminKey());
    }

    /** The id of the key's one submission, once the api lists it. */
    private String awaitOwnSubmission(String key) {
        String[] id = new String[1];
        Await.until("the waiting request's submission to be listed", Duration.ofSeconds(10), () -> {
            JsonNode items = stack.get("/v1/submissions", key).body().path("items");
            if (items.isEmpty()) {
                return false;
            }
            id[0] = items.get(0).get("id").asText();
            return true;
        });
        return id[0];
    }

    @Test
    void keyPastItsActiveQuotaGets429WithRetryAfter() {
        String key = newKey("submitter", ",\"max_active\":1").get("key").asText();
        assertEquals(202, submit(key, "import time; time.sleep(3)").status());
        var refused = submit(key, "print(1)");
        assertEquals(429, refused.status(), refused.raw().body());
        assertEquals("too_many_requests", refused.body().get("code").asText());
        assertTrue(Integer.parseInt(refused.raw().headers().firstValue("Retry-After").orElseThrow()) >= 1);
    }

    @Test
    void invalidQuotaIsRefused() {
        var answer = stack.post("/v1/keys", "application/json", "{\"name\":\"x\",\"role\":\"submitter\",\"max_active\":0}", stack.adminKey());
        assertEquals(422, answer.status());
        assertEquals("max_active", answer.body().get("errors").get(0).get("field").asText());
    }
}
