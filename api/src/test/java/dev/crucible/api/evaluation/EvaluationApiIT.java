package dev.crucible.api.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Evaluations against the running stack: every sample a real submission, run in gVisor and judged. */
class EvaluationApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    private JsonNode create(String body, String key) {
        var answer = stack.post("/v1/evaluations", "application/json", body, key);
        assertEquals(202, answer.status(), answer.raw().body());
        return answer.body();
    }

    private JsonNode awaitFinal(String id, String key) {
        JsonNode[] last = new JsonNode[1];
        Await.until("evaluation " + id + " to finish", Duration.ofMinutes(3), () -> {
            last[0] = stack.get("/v1/evaluations/" + id, key).body();
            return !last[0].get("status").asText().equals("running");
        });
        return last[0];
    }

    private String submitterKey(String quotas) {
        var created = stack.post("/v1/keys", "application/json",
                "{\"name\":\"it-evaluation\",\"role\":\"submitter\"" + quotas + "}", stack.adminKey());
        assertEquals(201, created.status(), created.raw().body());
        return created.body().get("key").asText();
    }

    /** Two problems in the function-level format: add (2 of 3 samples right) and neg (none of 2). */
    private static final String FUNCTION_LEVEL = """
            {"runtime":"python","k":[1,2,5],"problems":[
              {"id":"add","prompt":"def add(a, b):\\n","test":"def check(f):\\n    assert f(2, 3) == 5\\n    assert f(-1, 1) == 0\\n",
               "entry_point":"add","samples":["    return a + b\\n","    return b + a\\n","    return a * b\\n"]},
              {"id":"neg","prompt":"def neg(x):\\n","test":"def check(f):\\n    assert f(4) == -4\\n","entry_point":"neg",
               "samples":["    return x\\n","    return x +\\n"]}]}""";

    @Test
    void passAtKIsComputedPerProblemAndOverall() {
        JsonNode created = create(FUNCTION_LEVEL, stack.adminKey());
        assertEquals(5, created.get("progress").get("total").asInt());
        JsonNode done = awaitFinal(created.get("id").asText(), stack.adminKey());

        assertEquals("completed", done.get("status").asText(), done.toString());
        JsonNode add = done.get("problems").get(0);
        assertEquals("add", add.get("id").asText());
        assertEquals(3, add.get("n").asInt());
        assertEquals(2, add.get("c").asInt());
        // n=3, c=2: pass@1 = 2/3; pass@2 = 1 - C(1,2)/C(3,2) = 1; pass@5: k > n, undefined
        assertEquals(2.0 / 3, add.get("pass_at_k").get("1").asDouble(), 1e-9);
        assertEquals(1.0, add.get("pass_at_k").get("2").asDouble(), 1e-9);
        assertTrue(add.get("pass_at_k").path("5").isMissingNode(), add.toString());
        assertEquals(List.of(5), JSON.convertValue(add.get("undefined_k"), new TypeReference<List<Integer>>() {}),
                "k > n is said to be undefined: " + add);
        JsonNode neg = done.get("problems").get(1);
        assertEquals(0, neg.get("c").asInt());
        assertEquals(0.0, neg.get("pass_at_k").get("1").asDouble());
        assertEquals((2.0 / 3 + 0) / 2, done.get("pass_at_k").get("1").asDouble(), 1e-9);
        assertEquals(5, done.get("progress").get("done").asInt());
        assertEquals(2, done.get("progress").get("by_verdict").get("accepted").asInt(), done.toString());
        assertEquals(3, done.get("progress").get("by_verdict").get("runtime_error").asInt(), done.toString());
    }

    @Test
    void eachSampleIsListedAndDownloadedAsJsonLines() throws Exception {
        String id = create(FUNCTION_LEVEL, stack.adminKey()).get("id").asText();
        awaitFinal(id, stack.adminKey());

        var first = stack.get("/v1/evaluations/" + id + "/samples?limit=3", stack.adminKey());
        assertEquals(200, first.status(), first.raw().body());
        assertEquals(3, first.body().get("items").size());
        var rest = stack.get("/v1/evaluations/" + id + "/samples?limit=3&cursor=" + first.body().get("next_cursor").asText(),
                stack.adminKey());
        assertEquals(2, rest.body().get("items").size());
        assertTrue(rest.body().path("next_cursor").isMissingNode(), rest.raw().body());
        JsonNode wrong = first.body().get("items").get(2);
        assertEquals("add", wrong.get("problem").asText());
        assertEquals(2, wrong.get("sample").asInt());
        assertEquals("runtime_error", wrong.get("verdict").asText());
        // Its submission is an ordinary one of the key, readable as any other.
        var submission = stack.get("/v1/submissions/" + wrong.get("submission_id").asText(), stack.adminKey());
        assertTrue(submission.body().get("stderr").asText().contains("AssertionError"), submission.raw().body());

        var results = stack.get("/v1/evaluations/" + id + "/results", stack.adminKey());
        assertEquals(200, results.status());
        assertEquals("application/x-ndjson", results.contentType());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : results.raw().body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(5, lines.size());
        assertEquals(List.of("accepted", "accepted", "runtime_error", "runtime_error", "runtime_error"),
                lines.stream().map(l -> l.get("verdict").asText()).toList());
        assertEquals("neg", lines.get(4).get("problem").asText());
    }

    @Test
    void testsAndAnAppendedCheckJudgeWholePrograms() {
        JsonNode done = awaitFinal(create("""
                {"runtime":"python","problems":[
                  {"id":"echo","tests":[{"stdin":"ab","expected_output":"ab"},{"stdin":"xy","expected_output":"xy"}],
                   "samples":["print(input())","print(input()[::-1])"]},
                  {"id":"square","check_source":"assert square(3) == 9","samples":["def square(x):\\n    return x * x"]}]}""",
                stack.adminKey()).get("id").asText(), stack.adminKey());
        assertEquals(List.of(1, 1), List.of(done.get("problems").get(0).get("c").asInt(), done.get("problems").get(1).get("c").asInt()),
                done.toString());
        assertEquals(0.5, done.get("problems").get(0).get("pass_at_k").get("1").asDouble(), 1e-9);
    }

    @Test
    void anEvaluationIsPacedByItsKeysActiveQuota() {
        String key = submitterKey(",\"max_active\":2");
        String samples = String.join(",", Collections.nCopies(6, "\"import time\\ntime.sleep(0.3)\""));
        String id = create("{\"runtime\":\"python\",\"problems\":[{\"id\":\"p\",\"check_source\":\"pass\",\"samples\":[" + samples + "]}]}",
                key).get("id").asText();
        // Never more than the key's two at once: the rest wait for their turn, and all six run in the end.
        Await.until("all six samples done", Duration.ofMinutes(3), () -> {
            JsonNode progress = stack.get("/v1/evaluations/" + id, key).body().get("progress");
            assertTrue(progress.get("submitted").asInt() - progress.get("done").asInt() <= 2, progress.toString());
            return progress.get("done").asInt() == 6;
        });
        JsonNode done = awaitFinal(id, key);
        assertEquals(6, done.get("problems").get(0).get("c").asInt(), done.toString());
    }

    @Test
    void cancellingEndsWhatHasNotRun() {
        String key = submitterKey(",\"max_active\":1");
        String samples = String.join(",", Collections.nCopies(5, "\"import time\\ntime.sleep(20)\""));
        String id = create("{\"runtime\":\"python\",\"problems\":[{\"id\":\"slow\",\"check_source\":\"pass\",\"samples\":[" + samples + "]}]}",
                key).get("id").asText();
        Await.until("the first sample submitted", Duration.ofSeconds(30),
                () -> stack.get("/v1/evaluations/" + id, key).body().get("progress").get("submitted").asInt() >= 1);

        var cancelled = stack.delete("/v1/evaluations/" + id, key);
        assertEquals(200, cancelled.status(), cancelled.raw().body());
        assertEquals("cancelled", cancelled.body().get("status").asText());
        JsonNode progress = cancelled.body().get("progress");
        assertEquals(5, progress.get("done").asInt(), "nothing is left to run: " + progress);
        assertEquals(5, progress.get("by_verdict").get("cancelled").asInt(), progress.toString());
        assertEquals("cancelled", stack.get("/v1/evaluations/" + id + "/samples", key).body().get("items").get(4).get("status").asText());
    }

    @Test
    void anotherKeyCannotSeeAnEvaluation() {
        String id = create(FUNCTION_LEVEL, stack.adminKey()).get("id").asText();
        String other = submitterKey("");
        assertEquals(404, stack.get("/v1/evaluations/" + id, other).status());
        assertEquals(404, stack.get("/v1/evaluations/" + id + "/samples", other).status());
        assertEquals(404, stack.delete("/v1/evaluations/" + id, other).status());
        stack.delete("/v1/evaluations/" + id, stack.adminKey());
    }

    @Test
    void theEventStreamFollowsProgressAndEndsWithTheFinalEvaluation() throws Exception {
        String id = create(FUNCTION_LEVEL, stack.adminKey()).get("id").asText();
        URI uri = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/v1/evaluations/" + id + "/events");
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(3)).header("Authorization", "Bearer " + stack.adminKey()).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        List<JsonNode> states = new ArrayList<>();
        try (Stream<String> lines = stream.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data: ")) {
                    states.add(JSON.readTree(line.substring(6)));
                }
            }
        }
        assertEquals("completed", states.getLast().get("status").asText(), "the stream ends after the final state");
        assertEquals(5, states.getLast().get("progress").get("done").asInt());
        assertTrue(states.getLast().has("pass_at_k"), states.getLast().toString());
    }

    @Test
    void anIdThatIsNoUuidNamesNoEvaluationAndABadLimitIsNamed() {
        var missing = stack.get("/v1/evaluations/not-a-uuid", stack.adminKey());
        assertEquals(404, missing.status(), missing.raw().body());
        assertEquals("no evaluation not-a-uuid for this API key", missing.body().get("detail").asText());
        String id = create(FUNCTION_LEVEL, stack.adminKey()).get("id").asText();
        var badLimit = stack.get("/v1/evaluations/" + id + "/samples?limit=ten", stack.adminKey());
        assertEquals(422, badLimit.status(), badLimit.raw().body());
        assertEquals("limit", badLimit.body().get("errors").get(0).get("field").asText());
        stack.delete("/v1/evaluations/" + id, stack.adminKey());
    }

    @Test
    void aProblemWithoutAWayToJudgeItIsRefusedAndNothingIsStored() {
        var answer = stack.post("/v1/evaluations", "application/json",
                "{\"runtime\":\"python\",\"problems\":[{\"id\":\"p\",\"samples\":[\"print(1)\"]}]}", stack.adminKey());
        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("problems[0]", answer.body().get("errors").get(0).get("field").asText());
    }
}
