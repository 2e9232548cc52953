package dev.crucible.api.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.EventStreamReader;
import dev.crucible.api.EventStreamReader.Event;
import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Await;
import dev.crucible.testsupport.Sandboxes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions on the running stack: real gVisor sandboxes that keep their files and processes between commands. */
class SessionApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL"));
    private final List<String> opened = new ArrayList<>();

    @AfterEach
    void endSessionsAndSeeTheirSandboxesGo() throws InterruptedException {
        for (String id : opened) {
            stack.delete("/v1/sessions/" + id, stack.adminKey());
        }
        assertTrue(Sandboxes.noneWithin(Duration.ofSeconds(30)), "sandboxes left: " + Sandboxes.existingNames());
    }

    private JsonNode open(String body, String key) {
        var created = stack.post("/v1/sessions", "application/json", body, key);
        assertEquals(201, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        opened.add(id);
        JsonNode[] now = {created.body()};
        Await.until("session " + id + " to be ready", Duration.ofSeconds(60), () -> {
            now[0] = stack.get("/v1/sessions/" + id, key).body();
            return !now[0].get("status").asText().equals("starting");
        });
        assertEquals("ready", now[0].get("status").asText(), now[0].toString());
        return now[0];
    }

    private JsonNode open(String body) {
        return open(body, stack.adminKey());
    }

    private JsonNode run(String session, String key, Object... argv) {
        ObjectNode request = JSON.createObjectNode();
        request.set("argv", JSON.valueToTree(List.of(argv)));
        return command(session, request, key);
    }

    private JsonNode command(String session, JsonNode request, String key) {
        var answer = stack.post("/v1/sessions/" + session + "/commands?wait=true", "application/json", request.toString(), key);
        assertEquals(200, answer.status(), answer.raw().body());
        assertEquals("finished", answer.body().get("status").asText(), answer.raw().body());
        return answer.body();
    }

    private JsonNode ended(String id) {
        JsonNode[] now = new JsonNode[1];
        Await.until("session " + id + " to end", Duration.ofSeconds(60), () -> {
            now[0] = stack.get("/v1/sessions/" + id, stack.adminKey()).body();
            return now[0].get("status").asText().equals("ended");
        });
        return now[0];
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String key) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/octet-stream")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String submitterKey(String quotas) {
        var created = stack.post("/v1/keys", "application/json", "{\"name\":\"it-session\",\"role\":\"submitter\"" + quotas + "}",
                stack.adminKey());
        assertEquals(201, created.status(), created.raw().body());
        return created.body().get("key").asText();
    }

    @Test
    void aFileOneCommandWritesTheNextReads() {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        JsonNode wrote = run(id, stack.adminKey(), "sh", "-c", "echo kept > note.txt");
        assertEquals("accepted", wrote.get("verdict").asText(), wrote.toString());
        JsonNode read = run(id, stack.adminKey(), "cat", "note.txt");
        assertEquals("kept\n", read.get("stdout").asText());
        assertEquals(0, read.get("exit_code").asInt());
        assertTrue(read.get("cpu_time_ms").asLong() >= 0);
        assertTrue(read.get("peak_memory_kb").asLong() > 0);
        JsonNode listed = stack.get("/v1/sessions/" + id + "/commands", stack.adminKey()).body();
        assertEquals(2, listed.get("commands").size());
    }

    @Test
    void aBackgroundProcessLivesOnUntilTheSessionEnds() {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        JsonNode started = run(id, stack.adminKey(), "sh", "-c", "setsid sleep 1000 > /dev/null 2>&1 < /dev/null & echo $!");
        String pid = started.get("stdout").asText().strip();
        JsonNode alive = run(id, stack.adminKey(), "sh", "-c", "kill -0 \"$1\"", "sh", pid);
        assertEquals(0, alive.get("exit_code").asInt(), "the background process is gone: " + alive);
        var deleted = stack.delete("/v1/sessions/" + id, stack.adminKey());
        assertEquals(200, deleted.status(), deleted.raw().body());
        assertEquals("deleted", deleted.body().get("ended_reason").asText());
        // Its sandbox, and so the process, is removed: checked by the after-each look for sandboxes left.
    }

    @Test
    void aCommandPastItsTimeoutIsKilledAndTheSessionGoesOn() {
        String id = open("{\"runtime\":\"python\",\"limits\":{\"command_wall_time_ms\":5000}}").get("id").asText();
        JsonNode slow = command(id, JSON.createObjectNode().put("timeout_ms", 500)
                .set("argv", JSON.valueToTree(List.of("sleep", "30"))), stack.adminKey());
        assertEquals("time_limit_exceeded", slow.get("verdict").asText(), slow.toString());
        assertTrue(slow.get("wall_time_ms").asLong() < 5000, slow.toString());
        assertEquals("after\n", run(id, stack.adminKey(), "echo", "after").get("stdout").asText());
    }

    @Test
    void stdinEnvAndSourceReachTheCommand() {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        ObjectNode request = JSON.createObjectNode().put("stdin", "from stdin\n");
        request.set("argv", JSON.valueToTree(List.of("sh", "-c", "cat; echo \"$GREETING\"")));
        request.set("env", JSON.valueToTree(Map.of("GREETING", "hello $(id)")));
        assertEquals("from stdin\nhello $(id)\n", command(id, request, stack.adminKey()).get("stdout").asText());
        JsonNode source = command(id, JSON.createObjectNode().put("source", "import os\nprint(sorted(os.listdir('.')))\n"),
                stack.adminKey());
        assertEquals("accepted", source.get("verdict").asText(), source.toString());
        assertTrue(source.get("stdout").asText().contains("main.py"), source.toString());
    }

    @Test
    void aCommandsVariablesCannotRedirectTheWrapperAroundIt() {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        run(id, stack.adminKey(), "sh", "-c", "printf '#!/bin/sh\\necho hijacked\\n' > timeout && chmod +x timeout");
        ObjectNode request = JSON.createObjectNode();
        request.set("argv", JSON.valueToTree(List.of("/bin/echo", "ok")));
        request.set("env", JSON.valueToTree(Map.of("PATH", "/workspace:/usr/bin:/bin")));
        assertEquals("ok\n", command(id, request, stack.adminKey()).get("stdout").asText());
    }

    @Test
    void filesGoInAndComeOutWhole() {
        String id = open("{\"runtime\":\"python\",\"files\":[{\"path\":\"given.txt\",\"content\":\"at start\"}]}").get("id").asText();
        byte[] binary = new byte[200_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        var put = send("PUT", "/v1/sessions/" + id + "/files/src%2Fdata.bin", binary, stack.adminKey());
        assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        var got = send("GET", "/v1/sessions/" + id + "/files/src/data.bin", null, stack.adminKey());
        assertEquals(200, got.statusCode());
        assertArrayEquals(binary, got.body());
        assertEquals("at start", new String(send("GET", "/v1/sessions/" + id + "/files/given.txt", null, stack.adminKey()).body(),
                StandardCharsets.UTF_8));
        JsonNode listing = stack.get("/v1/sessions/" + id + "/files?dir=src", stack.adminKey()).body();
        assertEquals("src/data.bin", listing.get("entries").get(0).get("path").asText(), listing.toString());
        assertEquals(binary.length, listing.get("entries").get(0).get("size").asLong());
        assertEquals("file", listing.get("entries").get(0).get("type").asText());
        assertEquals(binary.length + "\n", run(id, stack.adminKey(), "sh", "-c", "wc -c < src/data.bin").get("stdout").asText());
    }

    @Test
    void fileOperationsRefuseLinksLargeFilesAndBadPaths() {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        run(id, stack.adminKey(), "sh", "-c", "ln -s /etc/passwd link; ln -s /tmp dir; echo x > /tmp/x; head -c 1100000 /dev/zero > big");
        assertEquals(422, send("GET", "/v1/sessions/" + id + "/files/link", null, stack.adminKey()).statusCode());
        assertEquals(422, send("GET", "/v1/sessions/" + id + "/files/dir%2Fx", null, stack.adminKey()).statusCode());
        assertEquals(422, send("PUT", "/v1/sessions/" + id + "/files/dir%2Fplanted", "no".getBytes(), stack.adminKey()).statusCode());
        assertEquals(1, run(id, stack.adminKey(), "test", "-e", "/tmp/planted").get("exit_code").asInt(),
                "an upload followed a planted link");
        assertEquals(413, send("GET", "/v1/sessions/" + id + "/files/big", null, stack.adminKey()).statusCode());
        assertEquals(413, send("PUT", "/v1/sessions/" + id + "/files/huge", new byte[(1 << 20) + 1], stack.adminKey()).statusCode());
        assertEquals(404, send("GET", "/v1/sessions/" + id + "/files/missing", null, stack.adminKey()).statusCode());
        assertEquals(422, send("GET", "/v1/sessions/" + id + "/files/..%2Fetc%2Fpasswd", null, stack.adminKey()).statusCode());
        assertEquals(422, send("GET", "/v1/sessions/" + id + "/files?dir=..", null, stack.adminKey()).statusCode());
    }

    @Test
    void anotherKeyCannotTouchTheSession() {
        String owner = submitterKey("");
        String stranger = submitterKey("");
        String id = open("{\"runtime\":\"python\"}", owner).get("id").asText();
        assertEquals(404, stack.get("/v1/sessions/" + id, stranger).status());
        assertEquals(404, stack.post("/v1/sessions/" + id + "/commands?wait=true", "application/json", "{\"argv\":[\"true\"]}",
                stranger).status());
        assertEquals(404, stack.post("/v1/sessions/" + id + "/keepalive", "application/json", "", stranger).status());
        assertEquals(404, send("GET", "/v1/sessions/" + id + "/files", null, stranger).statusCode());
        assertEquals(404, send("PUT", "/v1/sessions/" + id + "/files/x", "x".getBytes(), stranger).statusCode());
        assertEquals(404, stack.delete("/v1/sessions/" + id, stranger).status());
        assertEquals(404, EventStreamReader.open("/v1/sessions/" + id + "/events", stranger, null).statusCode());
        assertEquals("ready", stack.get("/v1/sessions/" + id, owner).body().get("status").asText());
        assertFalse(stack.get("/v1/sessions", stranger).body().get("sessions").toString().contains(id));
    }

    @Test
    void theEventStreamTellsACommandsOutputBetweenItsStartAndEnd() throws Exception {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        HttpResponse<InputStream> stream = EventStreamReader.open("/v1/sessions/" + id + "/events", stack.adminKey(), null);
        assertEquals(200, stream.statusCode());
        CompletableFuture<List<Event>> read = CompletableFuture.supplyAsync(() -> EventStreamReader.readAll(stream));
        String command = run(id, stack.adminKey(), "sh", "-c", "echo one; sleep 1; echo two >&2; echo three").get("id").asText();
        stack.delete("/v1/sessions/" + id, stack.adminKey());
        List<Event> events = read.get(60, TimeUnit.SECONDS);

        List<String> kinds = events.stream().map(e -> e.name() + ":" + (e.name().equals("output") ? e.data().get("command").asText()
                : e.data().get("status").asText())).toList();
        assertEquals("session:ready", kinds.getFirst(), "events: " + kinds);
        assertEquals("session:ended", kinds.getLast(), "events: " + kinds);
        int started = kinds.indexOf("command:running");
        int finished = kinds.indexOf("command:finished");
        assertTrue(started > 0 && finished > started, "events: " + kinds);
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i).startsWith("output:")) {
                assertEquals("output:" + command, kinds.get(i));
                assertTrue(i > started && i < finished, "output between the command's start and end: " + kinds);
            }
        }
        assertEquals("one\nthree\n", outputText(events, "stdout"));
        assertEquals("two\n", outputText(events, "stderr"));
        assertEquals(0, events.get(finished).data().get("exit_code").asInt());
        assertEquals("deleted", events.getLast().data().get("ended_reason").asText());
    }

    @Test
    void aStreamOpenedLaterShowsNoOutputOfCommandsThatEnded() throws Exception {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        run(id, stack.adminKey(), "echo", "before");
        HttpResponse<InputStream> stream = EventStreamReader.open("/v1/sessions/" + id + "/events", stack.adminKey(), null);
        CompletableFuture<List<Event>> read = CompletableFuture.supplyAsync(() -> EventStreamReader.readAll(stream));
        run(id, stack.adminKey(), "echo", "after");
        stack.delete("/v1/sessions/" + id, stack.adminKey());
        List<Event> events = read.get(60, TimeUnit.SECONDS);

        assertEquals("after\n", outputText(events, "stdout"), "events: " + events);
        assertEquals(1, events.stream().filter(e -> e.name().equals("command") && e.data().get("status").asText().equals("finished"))
                .count(), "events: " + events);
    }

    @Test
    void aStreamResumedAfterACommandEndedTellsThatEnd() throws Exception {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        String lastEventId;
        HttpResponse<InputStream> first = EventStreamReader.open("/v1/sessions/" + id + "/events", stack.adminKey(), null);
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(first.body(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            while (line != null && !line.startsWith("id: ")) {
                line = lines.readLine();
            }
            lastEventId = line == null ? null : line.substring(4);
        }
        assertTrue(lastEventId != null && lastEventId.matches("1\\.0\\.\\d+"), "the first event's id: " + lastEventId);
        // While no stream is open, a command runs and ends.
        String command = run(id, stack.adminKey(), "echo", "missed").get("id").asText();

        HttpResponse<InputStream> resumed = EventStreamReader.open("/v1/sessions/" + id + "/events", stack.adminKey(), lastEventId);
        CompletableFuture<List<Event>> read = CompletableFuture.supplyAsync(() -> EventStreamReader.readAll(resumed));
        stack.delete("/v1/sessions/" + id, stack.adminKey());
        List<Event> events = read.get(60, TimeUnit.SECONDS);
        assertTrue(events.stream().anyMatch(e -> e.name().equals("command") && e.data().get("id").asText().equals(command)
                && e.data().get("status").asText().equals("finished")), "events: " + events);
    }

    private static String outputText(List<Event> events, String stream) {
        return events.stream().filter(e -> e.name().equals("output") && e.data().get("stream").asText().equals(stream))
                .map(e -> e.data().get("text").asText()).collect(Collectors.joining());
    }

    @Test
    void aCommandRunningWhenItsSessionEndsIsLostAndSaysWhy() {
        String id = open("{\"runtime\":\"python\"}").get("id").asText();
        var running = stack.post("/v1/sessions/" + id + "/commands", "application/json", "{\"argv\":[\"sleep\",\"30\"]}",
                stack.adminKey());
        assertEquals(202, running.status(), running.raw().body());
        stack.delete("/v1/sessions/" + id, stack.adminKey());
        JsonNode lost = stack.get("/v1/sessions/" + id + "/commands/" + running.body().get("id").asText(), stack.adminKey()).body();
        assertEquals("lost", lost.get("status").asText(), lost.toString());
        assertTrue(lost.path("message").asText().contains("session ended"), lost.toString());
    }

    @Test
    void anIdleSessionEndsWithinASecondOfItsDeadline() {
        String id = open("{\"runtime\":\"python\",\"idle_timeout_s\":2}").get("id").asText();
        Instant lastActive = Instant.parse(run(id, stack.adminKey(), "true").get("finished_at").asText());
        JsonNode ended = ended(id);
        assertEquals("idle_timeout", ended.get("ended_reason").asText());
        Duration late = Duration.between(lastActive.plusSeconds(2), Instant.parse(ended.get("ended_at").asText()));
        assertTrue(!late.isNegative() && late.compareTo(Duration.ofSeconds(1)) <= 0, "ended " + late + " after its idle deadline");
    }

    @Test
    void theMaximumLifetimeHoldsThroughKeepalives() {
        JsonNode session = open("{\"runtime\":\"python\",\"idle_timeout_s\":2,\"max_lifetime_s\":4}");
        String id = session.get("id").asText();
        Instant created = Instant.parse(session.get("created_at").asText());
        Await.until("session " + id + " to end while kept alive", Duration.ofSeconds(30), () -> {
            var kept = stack.post("/v1/sessions/" + id + "/keepalive", "application/json", "", stack.adminKey());
            return kept.status() == 409;
        });
        JsonNode ended = ended(id);
        assertEquals("max_lifetime", ended.get("ended_reason").asText(), ended.toString());
        Duration lived = Duration.between(created, Instant.parse(ended.get("ended_at").asText()));
        assertTrue(lived.compareTo(Duration.ofSeconds(4)) >= 0 && lived.compareTo(Duration.ofSeconds(5)) <= 0, "lived " + lived);
    }

    @Test
    void anOpenSessionCountsAsActiveForItsKey() {
        String key = submitterKey(",\"max_active\":1");
        open("{\"runtime\":\"python\"}", key);
        var refused = stack.post("/v1/submissions", "application/json", "{\"runtime\":\"python\",\"source\":\"print(1)\"}", key);
        assertEquals(429, refused.status(), refused.raw().body());
        var second = stack.post("/v1/sessions", "application/json", "{\"runtime\":\"python\"}", key);
        assertEquals(429, second.status(), second.raw().body());
    }

    @Test
    void badCommandsAreRefusedWithTheFieldNamed() {
        String id = open("{\"runtime\":\"python\",\"limits\":{\"command_wall_time_ms\":1000}}").get("id").asText();
        for (String body : List.of("{\"argv\":[\"true\"],\"source\":\"x\"}", "{}", "{\"argv\":[\"true\"],\"timeout_ms\":5000}",
                "{\"argv\":[\"true\"],\"env\":{\"A-B\":\"1\"}}",
                // 4 KiB of control characters are 24 KiB once JSON-escaped into the exec's body.
                "{\"argv\":[\"echo\",\"" + "\\u0001".repeat(4096) + "\"]}")) {
            var refused = stack.post("/v1/sessions/" + id + "/commands", "application/json", body, stack.adminKey());
            assertEquals(422, refused.status(), body + " -> " + refused.raw().body());
            assertEquals("invalid_request", refused.body().get("code").asText());
        }
        assertEquals(0, stack.get("/v1/sessions/" + id + "/commands", stack.adminKey()).body().get("commands").size());
        var unknown = stack.post("/v1/sessions", "application/json", "{\"runtime\":\"cobol\"}", stack.adminKey());
        assertEquals(422, unknown.status(), unknown.raw().body());
        var tooLong = stack.post("/v1/sessions", "application/json", "{\"runtime\":\"python\",\"max_lifetime_s\":0}", stack.adminKey());
        assertEquals(422, tooLong.status(), tooLong.raw().body());
    }
}
