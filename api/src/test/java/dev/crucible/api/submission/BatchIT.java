package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** POST /v1/batches and GET /v1/batches/{id} through the real api. */
class BatchIT {
    private final StackUnderTest stack = new StackUnderTest();

    private JsonNode batch(String id, String key) {
        return stack.get("/v1/batches/" + id, key).body();
    }

    @Test
    void everySubmissionRunsAndTheAggregateCountsThem() throws Exception {
        var answer = stack.post("/v1/batches", "application/json", """
                {"submissions":[
                  {"runtime":"python","source":"print(1)"},
                  {"runtime":"c","source":"int main(void) { return 0; }"},
                  {"runtime":"bash","source":"exit 2"}]}""", stack.adminKey());
        assertEquals(202, answer.status(), answer.raw().body());
        String id = answer.body().get("id").asText();
        assertEquals(3, answer.body().get("submissions").size());
        assertEquals("python", answer.body().get("submissions").get(0).get("runtime").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode current = batch(id, stack.adminKey());
        while (current.get("aggregate").get("completed").asInt() < 3) {
            assertTrue(System.nanoTime() < deadline, "the batch did not complete: " + current);
            Thread.sleep(200);
            current = batch(id, stack.adminKey());
        }
        JsonNode verdicts = current.get("aggregate").get("verdicts");
        assertEquals(2, verdicts.get("accepted").asInt());
        assertEquals(1, verdicts.get("runtime_error").asInt());
        assertEquals("runtime_error", current.get("submissions").get(2).get("verdict").asText(), "in the order given");
    }

    @Test
    void oneInvalidSubmissionRefusesTheWholeBatch() {
        var answer = stack.post("/v1/batches", "application/json", """
                {"submissions":[
                  {"runtime":"python","source":"print(1)"},
                  {"runtime":"cobol","source":"x"},
                  {"runtime":"python","source":"x","limits":{"wall_time_ms":0}}]}""", stack.adminKey());
        assertEquals(422, answer.status(), answer.raw().body());
        JsonNode errors = answer.body().get("errors");
        assertEquals("submissions[1].runtime", errors.get(0).get("field").asText());
        assertEquals("submissions[2].limits.wall_time_ms", errors.get(1).get("field").asText());
    }

    @Test
    void emptyBatchIsRefused() {
        assertEquals(422, stack.post("/v1/batches", "application/json", "{\"submissions\":[]}", stack.adminKey()).status());
    }

    @Test
    void anotherKeyCannotSeeTheBatch() {
        String id = stack.post("/v1/batches", "application/json", "{\"submissions\":[{\"runtime\":\"python\",\"source\":\"1\"}]}",
                stack.adminKey()).body().get("id").asText();
        String other = stack.post("/v1/keys", "application/json", "{\"name\":\"batch-other\",\"role\":\"viewer\"}", stack.adminKey())
                .body().get("key").asText();
        assertEquals(404, stack.get("/v1/batches/" + id, other).status());
    }
}
