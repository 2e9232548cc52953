package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.EventStreamReader;
import dev.crucible.api.EventStreamReader.Event;
import dev.crucible.api.StackUnderTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/submissions/{id}/events} against the running stack, read as a client reads it: line by line. */
class SubmissionEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    private HttpResponse<InputStream> open(String submissionId, String key) {
        return open(submissionId, key, null);
    }

    private HttpResponse<InputStream> open(String submissionId, String key, String lastEventId) {
        return EventStreamReader.open("/v1/submissions/" + submissionId + "/events", key, lastEventId);
    }

    /** Reads until the first output event, then drops the connection as a network cut would; that event. */
    private static Event firstOutput(HttpResponse<InputStream> response) throws Exception {
        try (InputStream body = response.body(); var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ") && "output".equals(name)) {
                    return new Event(name, id, JSON.readTree(line.substring(6)), System.nanoTime());
                }
            }
        }
        throw new AssertionError("the stream ended without output");
    }

    private static List<Event> readAll(HttpResponse<InputStream> response) {
        return EventStreamReader.readAll(response);
    }

    private String submit(String source) {
        var answer = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":" + JSON.valueToTree(source) + "}", stack.adminKey());
        assertEquals(202, answer.status(), answer.raw().body());
        return answer.body().get("id").asText();
    }

    @Test
    void streamsEachChangeAndEndsWithTheResult() throws Exception {
        String id = submit("import time\ntime.sleep(1)\nprint('live')");
        HttpResponse<InputStream> response = open(id, stack.adminKey());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));

        List<Event> events = readAll(response);

        List<String> statuses = events.stream().filter(e -> e.name().equals("submission")).map(e -> e.data().get("status").asText()).toList();
        assertEquals("completed", statuses.getLast(), "events: " + statuses);
        assertTrue(statuses.contains("running"), "a one-second run is seen running first: " + statuses);
        assertEquals("live\n", events.getLast().data().get("stdout").asText());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(Integer.toString(i + 1), events.get(i).id().split("\\.")[0], "ids count every event, output ones too");
        }
    }

    @Test
    void outputArrivesWhileTheProgramRuns() throws Exception {
        String id = submit("import sys, time\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')\nprint('oops', file=sys.stderr)");
        List<Event> events = readAll(open(id, stack.adminKey()));

        Event first = events.stream().filter(e -> e.name().equals("output") && e.data().get("text").asText().contains("first"))
                .findFirst().orElseThrow(() -> new AssertionError("no output event with 'first': " + events));
        Event last = events.getLast();
        assertEquals("completed", last.data().get("status").asText());
        // The program sleeps 3 s after its first line: seen live, the line comes well before the result.
        assertTrue(last.atNanos() - first.atNanos() > Duration.ofMillis(1500).toNanos(),
                "the first line came " + Duration.ofNanos(last.atNanos() - first.atNanos()).toMillis() + " ms before the result");
        assertEquals("run", first.data().get("stage").asText());
        assertEquals("stdout", first.data().get("stream").asText());
        assertTrue(events.indexOf(first) > events.indexOf(events.stream().filter(e -> e.name().equals("submission")
                && e.data().get("status").asText().equals("running")).findFirst().orElseThrow()), "output follows the running state");
        assertEquals("first\nsecond\n", text(events, "stdout"), "the live output is the stored output");
        assertEquals("oops\n", text(events, "stderr"));
        assertEquals(last.data().get("stdout").asText(), text(events, "stdout"));
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsOnlyTheOutputItHadNot() throws Exception {
        String id = submit("import time\nprint('before the cut', flush=True)\ntime.sleep(3)\nprint('after the cut')");
        Event cut = firstOutput(open(id, stack.adminKey()));
        assertEquals("before the cut\n", cut.data().get("text").asText());

        List<Event> resumed = readAll(open(id, stack.adminKey(), cut.id()));

        assertEquals("after the cut\n", text(resumed, "stdout"), "what came before the cut is not sent again");
        assertEquals("submission", resumed.getFirst().name(), "the state comes first, as on any connection");
        assertTrue(Integer.parseInt(resumed.getFirst().id().split("\\.")[0]) > Integer.parseInt(cut.id().split("\\.")[0]),
                "ids go on counting: " + cut.id() + " then " + resumed.getFirst().id());
    }

    @Test
    void eachTestsOutputSaysWhichTestItIs() throws Exception {
        var answer = stack.post("/v1/submissions", "application/json", """
                {"runtime":"python","source":"import time\\ntime.sleep(0.5)\\nprint(input()[::-1])","tests":[{"stdin":"ab","expected_output":"ba"},
                 {"stdin":"xyz","expected_output":"zyx"}]}""", stack.adminKey());
        assertEquals(202, answer.status(), answer.raw().body());
        List<Event> events = readAll(open(answer.body().get("id").asText(), stack.adminKey()));

        List<String> chunks = events.stream().filter(e -> e.name().equals("output"))
                .map(e -> e.data().get("test").asInt() + ":" + e.data().get("text").asText()).toList();
        assertEquals(List.of("0:ba\n", "1:zyx\n"), chunks);
        assertEquals("accepted", events.getLast().data().get("verdict").asText());
    }

    @Test
    void eachRunsOutputSaysWhichRunItIs() throws Exception {
        // The same program and input each time: only the chunk's run index tells the runs apart.
        var answer = stack.post("/v1/submissions", "application/json", """
                {"runtime":"python","source":"import time\\ntime.sleep(0.5)\\nprint('same every time')","runs":2}""", stack.adminKey());
        assertEquals(202, answer.status(), answer.raw().body());
        List<Event> events = readAll(open(answer.body().get("id").asText(), stack.adminKey()));

        List<Event> output = events.stream().filter(e -> e.name().equals("output")).toList();
        assertTrue(output.stream().noneMatch(e -> e.data().has("test")), "no test index without tests: " + output);
        List<Integer> order = output.stream().map(e -> e.data().path("run").asInt(-1)).toList();
        assertEquals(order.stream().sorted().toList(), order, "the first run's output comes before the second's");
        Map<Integer, String> byRun = output.stream().collect(Collectors.groupingBy(e -> e.data().path("run").asInt(-1), TreeMap::new,
                Collectors.mapping(e -> e.data().get("text").asText(), Collectors.joining())));
        assertEquals(Map.of(0, "same every time\n", 1, "same every time\n"), byRun, "chunks without a run index are under -1");
        assertEquals(2, events.getLast().data().get("runs").size(), "the result reports both runs: " + events.getLast().data());
    }

    private static String text(List<Event> events, String stream) {
        return events.stream().filter(e -> e.name().equals("output") && e.data().get("stream").asText().equals(stream))
                .map(e -> e.data().get("text").asText()).collect(Collectors.joining());
    }

    @Test
    void lateClientGetsTheFinalStateAndTheStreamEnds() throws Exception {
        var finished = stack.submit("{\"runtime\":\"python\",\"source\":\"print('done')\"}");
        assertEquals("completed", finished.body().get("status").asText(), finished.raw().body());

        List<Event> events = readAll(open(finished.body().get("id").asText(), stack.adminKey()));

        assertEquals(1, events.size(), "a final submission is one event, without live output: " + events);
        assertEquals("accepted", events.getFirst().data().get("verdict").asText());
    }

    @Test
    void unknownSubmissionAnswers404Problem() throws Exception {
        HttpResponse<InputStream> response = open("00000000-0000-4000-8000-000000000000", stack.adminKey());
        try (InputStream body = response.body()) {
            assertEquals(404, response.statusCode());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(new String(body.readAllBytes(), StandardCharsets.UTF_8).contains("\"code\":\"not_found\""));
        }
    }
}
