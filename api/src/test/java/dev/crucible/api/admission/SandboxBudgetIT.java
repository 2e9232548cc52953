package dev.crucible.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-key sandbox-time budgets through the real api, each test with a fresh submitter key made by the admin. */
class SandboxBudgetIT {
    /** Three tests at python's default 5000 ms wall limit: 15000 ms in the worst case. */
    private static final String THREE_TESTS = "{\"runtime\":\"python\",\"source\":\"print(1)\",\"tests\":["
            + "{\"expected_output\":\"1\"},{\"expected_output\":\"1\"},{\"expected_output\":\"1\"}]}";
    private static final String ONE_RUN = "{\"runtime\":\"python\",\"source\":\"print(1)\"}";

    private final StackUnderTest stack = new StackUnderTest();

    private JsonNode newKey(String budgets) {
        var answer = stack.post("/v1/keys", "application/json",
                "{\"name\":\"it-budgets\",\"role\":\"submitter\"" + budgets + "}", stack.adminKey());
        assertEquals(201, answer.status(), answer.raw().body());
        return answer.body();
    }

    private StackUnderTest.Answer submit(String key, String json) {
        return stack.post("/v1/submissions", "application/json", json, key);
    }

    private JsonNode listed(String id) {
        for (JsonNode k : stack.get("/v1/keys", stack.adminKey()).body()) {
            if (k.get("id").asText().equals(id)) {
                return k;
            }
        }
        throw new AssertionError("key " + id + " is not listed");
    }

    @Test
    void submissionOverTheKeysSandboxMaximumIs422NamingTheFigures() {
        String key = newKey(",\"max_submission_sandbox_ms\":10000").get("key").asText();
        var refused = submit(key, THREE_TESTS);
        assertEquals(422, refused.status(), refused.raw().body());
        JsonNode error = refused.body().get("errors").get(0);
        assertEquals("limits", error.get("field").asText());
        assertTrue(error.get("message").asText().contains("15000 ms") && error.get("message").asText().contains("10000 ms"),
                error.get("message").asText());
    }

    @Test
    void submissionOverTheKeysSandboxMaximumStoresNothing() {
        String key = newKey(",\"max_submission_sandbox_ms\":10000").get("key").asText();
        assertEquals(422, submit(key, THREE_TESTS).status());
        assertEquals(0, stack.get("/v1/submissions", key).body().get("items").size());
    }

    @Test
    void keyPastItsPerMinuteSandboxBudgetGets429WithRetryAfter() {
        String key = newKey(",\"sandbox_ms_per_minute\":6000").get("key").asText();
        assertEquals(202, submit(key, ONE_RUN).status(), "5000 ms of 6000");
        var refused = submit(key, ONE_RUN);
        assertEquals(429, refused.status(), refused.raw().body());
        assertEquals("too_many_requests", refused.body().get("code").asText());
        long retryAfter = Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "the first submission leaves the minute within it: " + retryAfter);
    }

    @Test
    void keysListingShowsTheBudgetsSetByTheAdmin() {
        String id = newKey(",\"max_submission_sandbox_ms\":30000,\"sandbox_ms_per_minute\":90000,\"sandbox_ms_per_hour\":900000")
                .get("id").asText();
        JsonNode k = listed(id);
        assertEquals(30000, k.get("max_submission_sandbox_ms").asLong());
        assertEquals(90000, k.get("sandbox_ms_per_minute").asLong());
        assertEquals(900000, k.get("sandbox_ms_per_hour").asLong());
    }

    @Test
    void keysListingShowsTheDefaultBudgets() {
        JsonNode k = listed(newKey("").get("id").asText());
        assertEquals(120000, k.get("max_submission_sandbox_ms").asLong());
        assertEquals(600000, k.get("sandbox_ms_per_minute").asLong());
        assertEquals(7200000, k.get("sandbox_ms_per_hour").asLong());
    }

    @Test
    void keysListingShowsTheSandboxTimeOfRecentSubmissions() {
        JsonNode created = newKey("");
        assertEquals(202, submit(created.get("key").asText(), THREE_TESTS).status());
        JsonNode k = listed(created.get("id").asText());
        assertEquals(15000, k.get("sandbox_ms_last_minute").asLong());
        assertEquals(15000, k.get("sandbox_ms_last_hour").asLong());
    }

    @Test
    void refusalsForTheSandboxBudgetAreCountedOnMetrics() throws Exception {
        String key = newKey(",\"sandbox_ms_per_minute\":6000").get("key").asText();
        submit(key, ONE_RUN);
        assertEquals(429, submit(key, ONE_RUN).status());
        URI uri = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/metrics");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(body.contains("crucible_admission_refusals_total{reason=\"sandbox_per_minute\"}"), body);
    }

    @Test
    void invalidSandboxBudgetIsRefused() {
        var answer = stack.post("/v1/keys", "application/json",
                "{\"name\":\"x\",\"role\":\"submitter\",\"sandbox_ms_per_hour\":0}", stack.adminKey());
        assertEquals(422, answer.status());
        assertEquals("sandbox_ms_per_hour", answer.body().get("errors").get(0).get("field").asText());
    }
}
