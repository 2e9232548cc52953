package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Sandboxes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole-pipeline behaviour through the public HTTP API: api, Redis, executor, proxy, gVisor. */
class SubmissionApiIT {
    private final StackUnderTest stack = new StackUnderTest();

    @Test
    void pythonHelloWorldIsAcceptedWithItsOutput() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print('hello, world')\"}");
        assertEquals(200, answer.status(), answer.raw().body());
        assertEquals("completed", answer.body().get("status").asText());
        assertEquals("accepted", answer.body().get("verdict").asText());
        assertEquals("hello, world\n", answer.body().get("stdout").asText());
        assertEquals(0, answer.body().get("exit_code").asInt());
    }

    @Test
    void resultCanBeReadBackById() {
        String id = stack.submit("{\"runtime\":\"py\",\"source\":\"print(6*7)\"}").body().get("id").asText();
        var answer = stack.get("/v1/submissions/" + id, stack.adminKey());
        assertEquals(200, answer.status());
        assertEquals("42\n", answer.body().get("stdout").asText());
    }

    @Test
    void aReadAskingForSomeFieldsGetsThoseAndTheId() {
        String id = stack.submit("{\"runtime\":\"python\",\"source\":\"print(6*7)\"}").body().get("id").asText();
        var answer = stack.get("/v1/submissions/" + id + "?fields=status,verdict,exit_code", stack.adminKey());
        assertEquals(200, answer.status(), answer.raw().body());
        assertEquals(List.of("id", "status", "verdict", "exit_code"), names(answer.body().fieldNames()));
        assertEquals("accepted", answer.body().get("verdict").asText());
    }

    @Test
    void aReadAskingForAFieldNoSubmissionHasIs422() {
        String id = stack.submit("{\"runtime\":\"python\",\"source\":\"print(1)\"}").body().get("id").asText();
        var answer = stack.get("/v1/submissions/" + id + "?fields=status,stdot", stack.adminKey());
        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("fields", answer.body().get("errors").get(0).get("field").asText());
    }

    @Test
    void whatWasAskedComesBackOnlyWhenNamedAndSubmitsTheSameAgain() {
        String asked = """
                {"runtime":"python","source":"import sys; print(sys.stdin.read().upper(), sys.argv[1:])","stdin":"abc",
                 "args":["x y"],"limits":{"wall_time_ms":4000}}""";
        var first = stack.submit(asked);
        assertEquals(200, first.status(), first.raw().body());
        String id = first.body().get("id").asText();
        assertFalse(stack.get("/v1/submissions/" + id, stack.adminKey()).body().has("request"), "a whole read leaves it out");

        var answer = stack.get("/v1/submissions/" + id + "?fields=status,request", stack.adminKey());
        assertEquals(200, answer.status(), answer.raw().body());
        var request = answer.body().get("request");
        assertEquals("python", request.get("runtime").asText());
        assertEquals("import sys; print(sys.stdin.read().upper(), sys.argv[1:])", request.get("files").get(0).get("content").asText());
        assertEquals("abc", request.get("stdin").asText());
        assertEquals("x y", request.get("args").get(0).asText());
        assertEquals(4000, request.get("limits").get("wall_time_ms").asLong());

        var again = stack.submit(request.toString());
        assertEquals(200, again.status(), again.raw().body());
        assertEquals(first.body().get("stdout").asText(), again.body().get("stdout").asText());
    }

    @Test
    void anotherSubmittersKeyCannotReadWhatWasAsked() {
        var created = stack.post("/v1/keys", "application/json", "{\"name\":\"it-reader\",\"role\":\"submitter\"}", stack.adminKey());
        assertEquals(201, created.status(), created.raw().body());
        String id = stack.submit("{\"runtime\":\"python\",\"source\":\"print('secret')\"}").body().get("id").asText();
        var answer = stack.get("/v1/submissions/" + id + "?fields=request", created.body().get("key").asText());
        assertEquals(404, answer.status(), answer.raw().body());
    }

    @Test
    void anIdThatIsNoUuidNamesNoSubmission() {
        var answer = stack.get("/v1/submissions/not-a-uuid", stack.adminKey());
        assertEquals(404, answer.status(), answer.raw().body());
        assertEquals("no submission not-a-uuid for this API key", answer.body().get("detail").asText());
    }

    @Test
    void aLimitThatIsNoWholeNumberIs422NamingIt() {
        var answer = stack.get("/v1/submissions?limit=ten", stack.adminKey());
        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("limit", answer.body().get("errors").get(0).get("field").asText());
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void runsUnderGvisor() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"import os; print(os.uname().release)\"}");
        assertEquals("4.4.0\n", answer.body().get("stdout").asText(), "gVisor reports kernel 4.4.0");
    }

    @Test
    void stdinAndArgsReachTheProgramUnchanged() {
        var answer = stack.submit("""
                {"runtime":"python","source":"import sys; print(repr(sys.stdin.read()), sys.argv[1:])",
                 "stdin":"line one\\n","args":["a b","$(touch /tmp/x)","; rm -rf /"]}""");
        assertEquals("'line one\\n' ['a b', '$(touch /tmp/x)', '; rm -rf /']\n", answer.body().get("stdout").asText());
    }

    @Test
    void endlessLoopIsKilledAtTheWallTimeLimit() throws Exception {
        long started = System.nanoTime();
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"while True: pass\",\"limits\":{\"wall_time_ms\":1000}}");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals("time_limit_exceeded", answer.body().get("verdict").asText(), answer.raw().body());
        long wall = answer.body().get("wall_time_ms").asLong();
        assertTrue(wall >= 1000 && wall < 2500, "wall time " + wall + " ms should be the 1000 ms limit plus a small margin");
        assertTrue(elapsedMs < 10_000, "the whole request took " + elapsedMs + " ms");
        assertTrue(Sandboxes.noneWithin(Duration.ofSeconds(15)), "no sandbox container may be left behind");
    }

    @Test
    void memoryBombExceedsTheMemoryLimit() {
        var answer = stack.submit("""
                {"runtime":"python","source":"a = []\\nwhile True: a.append(bytearray(10**6))","limits":{"memory_mb":64}}""");
        assertEquals("memory_limit_exceeded", answer.body().get("verdict").asText(), answer.raw().body());
    }

    @Test
    void outputFloodIsCutAtTheCap() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"import sys\\nwhile True: sys.stdout.write('x' * 4096)\"}");
        assertEquals("output_limit_exceeded", answer.body().get("verdict").asText());
        assertEquals(65536, answer.body().get("stdout").asText().length());
        assertTrue(answer.body().get("stdout_truncated_bytes").asLong() > 0);
    }

    @Test
    void nonZeroExitIsARuntimeError() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"import sys; print('bad', file=sys.stderr); sys.exit(3)\"}");
        assertEquals("runtime_error", answer.body().get("verdict").asText());
        assertEquals(3, answer.body().get("exit_code").asInt());
        assertEquals("bad\n", answer.body().get("stderr").asText());
    }

    @Test
    void binaryOutputComesBackAsBase64() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"import sys; sys.stdout.buffer.write(bytes([0, 255, 10]))\"}");
        assertEquals("base64", answer.body().get("stdout_encoding").asText());
        assertEquals("AP8K", answer.body().get("stdout").asText());
    }

    @Test
    void severalFilesRunFromTheEntryFile() {
        var answer = stack.submit("""
                {"runtime":"python","files":[
                  {"path":"app/main.py","content":"import sys; sys.path.insert(0, 'lib'); import helper; print(helper.hi())"},
                  {"path":"lib/helper.py","content":"def hi():\\n    return 'hi from helper'"}]}""");
        assertEquals("hi from helper\n", answer.body().get("stdout").asText(), answer.raw().body());
    }

    private StackUnderTest.Answer postWithKey(String idempotencyKey, String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/v1/submissions"))
                .header("Authorization", "Bearer " + stack.adminKey()).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).timeout(Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        return new StackUnderTest.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()), response);
    }

    @Test
    void sameIdempotencyKeyAndBodyGiveTheSameSubmission() throws Exception {
        String key = "retry-" + java.util.UUID.randomUUID();
        var first = postWithKey(key, "{\"runtime\":\"python\",\"source\":\"print(1)\"}");
        var again = postWithKey(key, "{ \"source\": \"print(1)\", \"runtime\": \"python\" }");
        assertEquals(202, first.status(), first.raw().body());
        assertEquals(first.body().get("id").asText(), again.body().get("id").asText(), "a retry must not submit twice");
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIsAConflict() throws Exception {
        String key = "retry-" + java.util.UUID.randomUUID();
        postWithKey(key, "{\"runtime\":\"python\",\"source\":\"print(1)\"}");
        var other = postWithKey(key, "{\"runtime\":\"python\",\"source\":\"print(2)\"}");
        assertEquals(409, other.status());
        assertEquals("idempotency_conflict", other.body().get("code").asText());
    }

    @Test
    void stderrCanBeMergedIntoStdout() {
        var answer = stack.submit("""
                {"runtime":"python","merge_stderr":true,
                 "source":"import sys\\nprint('out', flush=True)\\nprint('err', file=sys.stderr, flush=True)\\nprint('out again')"}""");
        assertEquals("out\nerr\nout again\n", answer.body().get("stdout").asText(), answer.raw().body());
        assertEquals("", answer.body().get("stderr").asText());
    }

    @Test
    void base64InputsArriveAsTheirBytes() {
        String source = java.util.Base64.getEncoder().encodeToString(
                "import sys; data = sys.stdin.buffer.read(); print(list(data), open('blob.bin', 'rb').read())".getBytes());
        var answer = stack.submit("""
                {"runtime":"python","files":[{"path":"main.py","content":"%s","encoding":"base64"},
                                             {"path":"blob.bin","content":"AP8=","encoding":"base64"}],
                 "stdin":"AAEC/w==","stdin_encoding":"base64"}""".formatted(source));
        assertEquals("[0, 1, 2, 255] b'\\x00\\xff'\n", answer.body().get("stdout").asText(), answer.raw().body());
    }

    @Test
    void invalidBase64IsRefused() {
        var answer = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":\"%%%\",\"source_encoding\":\"base64\"}", stack.adminKey());
        assertEquals(422, answer.status());
        assertEquals("source", answer.body().get("errors").get(0).get("field").asText());
    }

    @Test
    void resultSaysWhatItRanOn() throws Exception {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print(1)\",\"limits\":{\"memory_mb\":64}}");
        var provenance = answer.body().get("provenance");
        assertEquals("python", provenance.get("runtime").asText(), answer.raw().body());
        assertTrue(provenance.get("image").asText().startsWith("crucible-runtime/python:"));
        assertTrue(provenance.get("image_id").asText().startsWith("sha256:"));
        assertTrue(provenance.get("sandbox").asText().startsWith("runsc "), provenance.toString());
        assertEquals(64, provenance.get("limits").get("memory_mb").asInt());
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update("main.py\u00008\u0000print(1)".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.util.HexFormat.of().formatHex(digest.digest()), provenance.get("files_sha256").asText());
    }

    @Test
    void withoutWaitTheSubmissionIsAcceptedAsQueued() {
        var answer = stack.post("/v1/submissions", "application/json", "{\"runtime\":\"python\",\"source\":\"print(1)\"}", stack.adminKey());
        assertEquals(202, answer.status());
        assertFalse(answer.body().has("verdict"));
        assertTrue(answer.body().get("id").asText().matches("[0-9a-f-]{36}"));
    }

    /**
     * The executor warms each runtime's default limits at start, and refills between runs: a Python
     * hello world at the default limits soon says it took its sandbox from the pool, and pays no boot.
     */
    @Test
    void aRunAtTheDefaultLimitsTakesAStartedSandboxFromThePool() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String pool;
        do {
            var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print(1)\"}");
            assertEquals("accepted", answer.body().path("verdict").asText(), answer.raw().body());
            pool = answer.body().path("timings").path("pool").asText();
            assertTrue(pool.equals("hit") || pool.equals("miss"), answer.raw().body());
        } while (!pool.equals("hit") && System.nanoTime() < deadline);
        assertEquals("hit", pool, "within a minute, a run at the default limits finds a started sandbox waiting");
    }

    @Test
    void reportsStageTimings() throws Exception {
        long before = System.nanoTime();
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print('hello, world')\"}");
        long elapsedMs = (System.nanoTime() - before) / 1_000_000;
        assertEquals("accepted", answer.body().path("verdict").asText(), answer.raw().body());
        var timings = answer.body().path("timings");
        long executorMs = 0;
        for (String stage : List.of("queue_wait_ms", "create_ms", "start_ms", "run_ms", "teardown_ms")) {
            assertTrue(timings.path(stage).isIntegralNumber() && timings.get(stage).asLong() >= 0, stage + " in " + answer.raw().body());
            executorMs += stage.equals("queue_wait_ms") ? 0 : timings.get(stage).asLong();
        }
        assertFalse(timings.has("compile_ms"), "python compiles nothing: " + timings);
        assertTrue(timings.get("queue_wait_ms").asLong() <= elapsedMs, timings + " against " + elapsedMs + " ms for the request");
        assertTrue(executorMs <= elapsedMs, "the sandbox's stages (" + executorMs + " ms) fit in the request's " + elapsedMs + " ms");
        assertTrue(timings.get("run_ms").asLong() < 10_000, "hello world runs in well under the 5 s limit: " + timings);

        assertTrue(metricCount(scrape(StackUnderTest.variable("CRUCIBLE_TEST_EXECUTOR_METRICS_URL")),
                "crucible_sandbox_stage_seconds_count", "stage=\"run\"") > 0, "the executor records each sandbox's stages");
        assertTrue(metricCount(scrape(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/metrics"),
                "crucible_queue_wait_seconds_count", "") > 0, "the api records each queue wait");
    }

    private static String scrape(String url) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    /** The value of the sample of {@code metric} whose labels contain {@code label}; fails when there is none. */
    private static double metricCount(String text, String metric, String label) {
        return text.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " with " + label + " in:\n" + text));
    }
}
