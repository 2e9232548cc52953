package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.StackUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Judge0-compatible routes against the running stack, with the request sequences of real Judge0
 * clients, written here from what those clients send (their files are named at each profile), and
 * each status id a real program can reach here.
 */
class Judge0ApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DONE_WITHIN = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base = StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/judge0";
    private final StackUnderTest stack = new StackUnderTest();

    private record Answer(int status, String body, JsonNode json) {}

    private Answer send(String method, String pathAndQuery, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : body.toString()));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.body(), json);
        } catch (IOException e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Judge0's usual AUTHN_HEADER, with the key as its token. */
    private Map<String, String> token(String key) {
        return Map.of("X-Auth-Token", key);
    }

    private Map<String, String> admin() {
        return token(stack.adminKey());
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** How Judge0's clients read base64 (langchain4j: the MIME decoder; the Python SDK drops newlines first). */
    private static String decoded(JsonNode value) {
        return value == null || value.isNull() ? null : new String(Base64.getMimeDecoder().decode(value.asText()), StandardCharsets.UTF_8);
    }

    private Answer ok(Answer answer, int status) {
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    /** Reads the submission until it is neither In Queue (1) nor Processing (2), as judge0/ide's fetchSubmission does. */
    private JsonNode untilDone(String token, String query, Map<String, String> headers) throws InterruptedException {
        long deadline = System.nanoTime() + DONE_WITHIN.toNanos();
        while (true) {
            JsonNode current = ok(send("GET", "/submissions/" + token + query, null, headers), 200).json();
            if (current.at("/status/id").asInt() > 2) {
                return current;
            }
            assertTrue(System.nanoTime() < deadline, "submission " + token + " did not finish: " + current);
            Thread.sleep(100); // judge0/ide's WAIT_TIME_FUNCTION
        }
    }

    /** A program run with wait=true and every field, as langchain4j asks; read on if the wait ended first. */
    private JsonNode ran(ObjectNode submission) throws InterruptedException {
        JsonNode created = ok(send("POST", "/submissions?base64_encoded=true&wait=true&fields=*", submission, admin()), 201).json();
        return created.at("/status/id").asInt() > 2 ? created
                : untilDone(created.get("token").asText(), "?base64_encoded=true&fields=*", admin());
    }

    private static ObjectNode program(int languageId, String source) {
        return JSON.createObjectNode().put("language_id", languageId).put("source_code", b64(source));
    }

    // --- client profiles ------------------------------------------------------------------------

    /**
     * The official Python SDK (judge0-python: clients.py, submission.py, base_types.py): at
     * construction /languages and /config_info (parsed into a model that requires every key),
     * /about for the version that picks its id table; then a base64 create without waiting, a get of
     * every field, and a batch created and read the same way. It sends X-Judge0-App headers too.
     */
    @Test
    void officialPythonSdkStartsUpThenCreatesGetsAndBatches() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(admin());
        headers.put("X-Judge0-App", "Judge0 Python SDK");
        headers.put("X-Judge0-App-Version", "0.0.8");

        JsonNode languages = ok(send("GET", "/languages", null, headers), 200).json();
        List<Integer> ids = new ArrayList<>();
        languages.forEach(language -> {
            ids.add(language.get("id").asInt());
            assertTrue(language.get("name").isTextual(), language.toString());
        });
        // The SDK's 1.13.1 table: PYTHON 71, CPP 52, C 50, JAVA 62, JAVASCRIPT 63, GO 60, RUST 73, BASH 46.
        assertTrue(ids.containsAll(List.of(71, 52, 50, 62, 63, 60, 73, 46)), ids.toString());
        JsonNode config = ok(send("GET", "/config_info", null, headers), 200).json();
        Set<String> keys = new TreeSet<>();
        config.fieldNames().forEachRemaining(keys::add);
        assertTrue(keys.containsAll(List.of("allow_enable_network", "max_submission_batch_size", "submission_cache_duration",
                "use_docs_as_homepage", "wall_time_limit", "max_number_of_runs")), keys.toString());
        assertEquals(39, keys.size(), keys.toString());
        assertEquals("1.13.1", ok(send("GET", "/about", null, headers), 200).json().get("version").asText());

        ObjectNode body = program(71, "print(input()[::-1])").put("stdin", b64("olleh\n"));
        JsonNode created = ok(send("POST", "/submissions?base64_encoded=true&wait=false", body, headers), 201).json();
        assertEquals(List.of("token"), List.copyOf(created.propertyStream().map(Map.Entry::getKey).toList()),
                "without wait the answer is the token alone");
        String token = created.get("token").asText();
        JsonNode done = untilDone(token, "?base64_encoded=true&fields=*", headers);
        assertEquals(3, done.at("/status/id").asInt(), done.toString());
        assertEquals("Accepted", done.at("/status/description").asText());
        assertEquals("hello\n", decoded(done.get("stdout")));
        assertEquals(35, done.size(), "fields=* is every attribute: " + done);
        assertTrue(done.get("stderr").isNull(), "an empty output is null");
        Double.parseDouble(done.get("time").asText()); // the SDK parses time and wall_time as floats
        Double.parseDouble(done.get("wall_time").asText());
        assertTrue(done.get("memory").isInt(), done.toString());
        // The SDK parses created_at and finished_at with "%Y-%m-%dT%H:%M:%S.%fZ".
        assertTrue(done.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), done.toString());
        assertTrue(done.get("finished_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), done.toString());
        assertEquals(token, done.get("token").asText());

        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("submissions").add(program(71, "print(6 * 7)")).add(program(52, "#include <cstdio>\nint main() { puts(\"c++\"); }"));
        JsonNode tokens = ok(send("POST", "/submissions/batch?base64_encoded=true", batch, headers), 201).json();
        assertEquals(2, tokens.size(), tokens.toString());
        String both = tokens.get(0).get("token").asText() + "," + tokens.get(1).get("token").asText();
        long deadline = System.nanoTime() + DONE_WITHIN.toNanos();
        JsonNode read;
        do {
            assertTrue(System.nanoTime() < deadline, "the batch did not finish");
            Thread.sleep(100);
            read = ok(send("GET", "/submissions/batch?base64_encoded=true&fields=*&tokens=" + both, null, headers), 200).json();
        } while (read.at("/submissions/0/status/id").asInt() <= 2 || read.at("/submissions/1/status/id").asInt() <= 2);
        assertEquals("42\n", decoded(read.at("/submissions/0/stdout")), read.toString());
        assertEquals("c++\n", decoded(read.at("/submissions/1/stdout")), "in the order of tokens: " + read);
        assertEquals(54, read.at("/submissions/1/language/id").asInt(), "shown under the runtime's 1.13.1 id");
    }

    /**
     * judge0/ide (js/ide.js run and fetchSubmission): a base64 create with wait=false sending its
     * blank compiler options and arguments and redirect_stderr_to_stdout, with Authorization: Bearer;
     * then the default fields read every 100 ms while the status id is 1 or 2.
     */
    @Test
    void judge0IdeCreatesAsyncAndPollsWhileQueuedOrProcessing() throws Exception {
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + stack.adminKey());
        ObjectNode body = program(71, "import sys\nprint('out', flush=True)\nprint('err', file=sys.stderr)").put("stdin", b64(""))
                .put("compiler_options", "").put("command_line_arguments", "").put("redirect_stderr_to_stdout", true);
        String token = ok(send("POST", "/submissions?base64_encoded=true&wait=false", body, bearer), 201).json().get("token").asText();
        JsonNode done = untilDone(token, "?base64_encoded=true", bearer);
        assertEquals(Set.of("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"),
                new TreeSet<>(done.propertyStream().map(Map.Entry::getKey).toList()), "the default fields");
        assertEquals("Accepted", done.at("/status/description").asText(), done.toString());
        assertEquals("out\nerr\n", decoded(done.get("stdout")), "stderr redirected into stdout");
        assertTrue(done.get("compile_output").isNull());
        assertFalse(done.get("time").isNull(), "the IDE shows time + 's'");
    }

    /** langchain4j's Judge0JavaScriptEngine: one wait=true create of every field in base64; it reads status, stdout and compile_output. */
    @Test
    void langchain4jWaitsForEveryFieldInBase64() throws Exception {
        for (int javascript : new int[] {63, 93, 102}) {
            JsonNode result = ok(send("POST", "/submissions?base64_encoded=true&wait=true&fields=*",
                    JSON.createObjectNode().put("language_id", javascript).put("source_code", b64("console.log(6 * 7)")), admin()), 201).json();
            assertEquals(3, result.at("/status/id").asInt(), result.toString());
            assertEquals("42", decoded(result.get("stdout")).trim());
            assertTrue(result.get("compile_output").isNull());
            assertTrue(result.get("stdout").asText().endsWith("\n"), "MIME base64, as Ruby's encode64 writes it");
        }
    }

    // --- every status a real program reaches -----------------------------------------------------

    @Test
    void accepted3AndWrongAnswer4ComparedAfterStrippingAsJudge0Does() throws Exception {
        JsonNode accepted = ran(program(71, "print('yes  ')\nprint()").put("expected_output", b64("yes")));
        assertEquals(3, accepted.at("/status/id").asInt(), accepted.toString());
        JsonNode wrong = ran(program(71, "print('no')").put("expected_output", b64("yes\n")));
        assertEquals(4, wrong.at("/status/id").asInt(), wrong.toString());
        assertEquals("no\n", decoded(wrong.get("stdout")));
        JsonNode runs = ran(program(71, "print('yes')").put("expected_output", b64("yes")).put("number_of_runs", 3));
        assertEquals(3, runs.at("/status/id").asInt(), runs.toString());
        assertEquals(3, runs.get("number_of_runs").asInt());
    }

    @Test
    void timeLimitExceeded5() throws Exception {
        JsonNode result = ran(program(71, "while True:\n    pass").put("cpu_time_limit", 1));
        assertEquals(5, result.at("/status/id").asInt(), result.toString());
        assertEquals("1.0", result.get("cpu_time_limit").asText(), "the limit that applied");
        assertTrue(Double.parseDouble(result.get("wall_time").asText()) >= 1.0, result.toString());
    }

    @Test
    void compilationError6() throws Exception {
        JsonNode result = ran(program(54, "int main( {"));
        assertEquals(6, result.at("/status/id").asInt(), result.toString());
        assertTrue(decoded(result.get("compile_output")).contains("error"), result.toString());
        assertTrue(result.get("stdout").isNull());
        assertTrue(result.get("time").isNull());
    }

    @Test
    void sigsegv7() throws Exception {
        // A null store came back exit 0 under gVisor here; the signal itself is what the mapping is about.
        JsonNode result = ran(program(50, "#include <signal.h>\nint main(void) { raise(SIGSEGV); return 0; }"));
        assertEquals(7, result.at("/status/id").asInt(), result.toString());
        assertEquals("Runtime Error (SIGSEGV)", result.at("/status/description").asText());
        assertEquals(11, result.get("exit_signal").asInt());
    }

    @Test
    void nonZeroExitCode11() throws Exception {
        JsonNode result = ran(program(71, "import sys\nsys.exit(3)"));
        assertEquals(11, result.at("/status/id").asInt(), result.toString());
        assertEquals(3, result.get("exit_code").asInt());
        assertTrue(result.get("exit_signal").isNull());
    }

    @Test
    void internalError13() throws Exception {
        // javac writes a file per class: more than an executor takes back from a compile (4096).
        StringBuilder source = new StringBuilder("public class Main {\n    public static void main(String[] args) {}\n");
        for (int i = 0; i < 4100; i++) {
            source.append("    static class C").append(i).append(" {}\n");
        }
        JsonNode result = ran(program(62, source.append("}\n").toString()));
        assertEquals(13, result.at("/status/id").asInt(), result.toString());
        assertEquals("Internal Error", result.at("/status/description").asText());
        assertTrue(decoded(result.get("message")).contains("4096"), result.toString());
    }

    // --- authentication, ownership, errors ---------------------------------------------------------

    @Test
    void noKeyOrAWrongOneIsA401WithAnEmptyBody() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), token("not-a-key"),
                Map.of("Authorization", "Bearer not-a-key"), Map.of("X-Auth-Token", "not-a-key", "Authorization", "Bearer " + stack.adminKey()))) {
            Answer answer = send("GET", "/languages", null, headers);
            assertEquals(401, answer.status(), headers.keySet() + ": " + answer.body());
            assertEquals("", answer.body(), headers.keySet().toString());
            Answer create = send("POST", "/submissions", program(71, "print(1)"), headers);
            assertEquals(401, create.status());
            assertEquals("", create.body());
        }
        assertEquals(200, send("GET", "/statuses", null, Map.of("Authorization", "Bearer " + stack.adminKey())).status());
        JsonNode statuses = ok(send("GET", "/statuses", null, admin()), 200).json();
        assertEquals(14, statuses.size());
        assertEquals("Runtime Error (NZEC)", statuses.get(10).get("description").asText());
    }

    @Test
    void aTokenIsVisibleOnlyToTheKeyThatMadeIt() throws Exception {
        JsonNode submitter = newKey("submitter");
        JsonNode viewer = newKey("viewer");
        try {
            Map<String, String> own = token(submitter.get("key").asText());
            String theirs = ok(send("POST", "/submissions?wait=false", JSON.createObjectNode().put("language_id", 71)
                    .put("source_code", "print(1)"), own), 201).json().get("token").asText();
            assertEquals(200, send("GET", "/submissions/" + theirs, null, own).status());
            Answer byAdmin = send("GET", "/submissions/" + theirs, null, admin());
            assertEquals(404, byAdmin.status(), "not even an admin key sees another key's token here: " + byAdmin.body());
            assertEquals("Not Found", byAdmin.json().get("error").asText());
            String mine = ok(send("POST", "/submissions?wait=false", program(71, "print(2)"), admin()), 201).json().get("token").asText();
            JsonNode batch = ok(send("GET", "/submissions/batch?tokens=" + theirs + "," + mine + ",nope", null, admin()), 200).json();
            assertTrue(batch.at("/submissions/0").isNull(), batch.toString());
            assertEquals(mine, batch.at("/submissions/1/token").asText());
            assertTrue(batch.at("/submissions/2").isNull(), "an unknown token is null");

            Answer forbidden = send("POST", "/submissions", program(71, "print(1)"), token(viewer.get("key").asText()));
            assertEquals(403, forbidden.status(), "a viewer key may not submit");
            assertEquals("", forbidden.body());
        } finally {
            stack.delete("/v1/keys/" + submitter.get("id").asText(), stack.adminKey());
            stack.delete("/v1/keys/" + viewer.get("id").asText(), stack.adminKey());
        }
    }

    private JsonNode newKey(String role) {
        var created = stack.post("/v1/keys", "application/json", "{\"name\":\"judge0-it-" + role + "\",\"role\":\"" + role + "\"}",
                stack.adminKey());
        assertEquals(201, created.status(), created.raw().body());
        return created.body();
    }

    @Test
    void judge0sOwnErrorBodies() {
        Answer fields = send("GET", "/submissions/00000000-0000-0000-0000-000000000000?fields=token,bogus", null, admin());
        assertEquals(400, fields.status());
        assertEquals("invalid fields: [bogus]", fields.json().get("error").asText());
        Answer language = send("POST", "/submissions", JSON.createObjectNode().put("language_id", 150000).put("source_code", "x"), admin());
        assertEquals(422, language.status(), language.body());
        assertEquals("language with id 150000 doesn't exist", language.json().at("/language_id/0").asText());
        Answer limit = send("POST", "/submissions", program(71, "x").put("wall_time_limit", 1000), admin());
        assertEquals(422, limit.status(), limit.body());
        assertTrue(limit.json().at("/wall_time_limit/0").asText().startsWith("must be less than or equal to"), limit.body());
        assertEquals(404, send("GET", "/submissions/not-a-token", null, admin()).status());
        assertEquals(404, send("GET", "/languages/9999", null, admin()).status());
        assertEquals("main.py", ok(send("GET", "/languages/71", null, admin()), 200).json().get("source_file").asText());
    }

    /** Refused before any connection is tried: the address is checked, never sent to, and the real policy takes public ones only. */
    @Test
    void aCallbackToAnInnerAddressIsRefusedInJudge0sShape() {
        Answer refused = send("POST", "/submissions", program(71, "print(1)").put("callback_url", "https://127.0.0.1:9/hook")
                .put("source_code", "print(1)"), admin());
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.json().at("/callback_url/0").asText().contains("127.0.0.1"), refused.body());

        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("submissions").add(program(71, "print(1)"))
                .add(program(71, "print(2)").put("callback_url", "https://[::1]/hook"));
        JsonNode answer = ok(send("POST", "/submissions/batch?base64_encoded=true", batch, admin()), 201).json();
        assertTrue(answer.get(0).has("token"), answer.toString());
        assertTrue(answer.at("/1/callback_url/0").isTextual(), answer.toString());
        assertTrue(ok(send("GET", "/config_info", null, admin()), 200).json().get("enable_callbacks").asBoolean());
    }

    @Test
    void compilerOptionsReachGccAndOnesCrucibleDoesNotTakeAreJudge0sError() throws Exception {
        JsonNode ran = ran(program(50, "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", ANSWER); return 0; }")
                .put("compiler_options", "-O0 -DANSWER=42"));
        assertEquals(3, ran.at("/status/id").asInt(), ran.toString());
        assertEquals("42\n", decoded(ran.get("stdout")));
        Answer refused = send("POST", "/submissions", program(50, "int main(void) { return 0; }")
                .put("compiler_options", "-O0 -wrapper /bin/sh"), admin());
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.json().at("/compiler_options/0").asText().contains("-wrapper"), refused.body());
    }

    @Test
    void aBatchAnswersEachItemWithItsTokenOrItsErrors() {
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("submissions").add(program(71, "print(1)")).add(program(71, "print(2)").put("language_id", 3))
                .add(program(71, "print(3)").put("memory_limit", "lots"));
        JsonNode answer = ok(send("POST", "/submissions/batch?base64_encoded=true", batch, admin()), 201).json();
        assertTrue(answer.get(0).has("token"), answer.toString());
        assertEquals("language with id 3 doesn't exist", answer.at("/1/language_id/0").asText(), answer.toString());
        assertEquals("is not a number", answer.at("/2/memory_limit/0").asText(), answer.toString());

        ObjectNode allBad = JSON.createObjectNode();
        allBad.putArray("submissions").add(program(1, "x"));
        assertEquals(422, send("POST", "/submissions/batch", allBad, admin()).status());
        assertEquals("there should be at least one submission in a batch",
                send("POST", "/submissions/batch", "{\"submissions\": []}", admin()).json().get("error").asText());
    }

    @Test
    void outputThatIsNotUtf8NeedsBase64() throws Exception {
        ObjectNode binary = JSON.createObjectNode().put("language_id", 71).put("source_code", "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe')");
        Answer created = send("POST", "/submissions?wait=true", binary, admin());
        assertEquals(201, created.status(), created.body());
        String token = created.json().get("token").asText();
        // Finished within the wait, it cannot be written as text: created all the same, Judge0's error beside the token.
        assertTrue(created.json().has("error") || created.json().at("/status/id").asInt() <= 2, created.body());
        JsonNode done = untilDone(token, "?base64_encoded=true", admin());
        assertEquals("//4=\n", done.get("stdout").asText(), done.toString());
        Answer asText = send("GET", "/submissions/" + token, null, admin());
        assertEquals(400, asText.status(), asText.body());
        assertTrue(asText.json().get("error").asText().contains("use base64_encoded=true"), asText.body());
        assertEquals(200, send("GET", "/submissions/" + token + "?fields=token,status", null, admin()).status(),
                "without stdout asked for, nothing needs converting");
    }
}
