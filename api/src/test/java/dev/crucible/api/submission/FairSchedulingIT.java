package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two submitter keys against the real stack: one floods the executors, the other's single program
 * must not wait behind the flood. Order, not time, is asserted: which jobs started or finished first.
 */
class FairSchedulingIT {
    private static final String SLEEPER = "{\"runtime\":\"python\",\"source\":\"import time\\ntime.sleep(1)\"}";
    /** Four tests of a second each: a long submission with boundaries between its parts. */
    private static final String LONG_TESTED = "{\"runtime\":\"python\",\"source\":\"import time\\ntime.sleep(1)\\nprint(1)\","
            + "\"tests\":[{\"expected_output\":\"1\"},{\"expected_output\":\"1\"},{\"expected_output\":\"1\"},{\"expected_output\":\"1\"}]}";
    private static final String HELLO = "{\"runtime\":\"python\",\"source\":\"print('victim')\"}";
    /** More than this machine's executor slots (cores + 1), so that part of the flood waits. */
    private static final int FLOOD = 12;

    private final StackUnderTest stack = new StackUnderTest();

    private String newKey(String name) {
        var answer = stack.post("/v1/keys", "application/json",
                "{\"name\":\"" + name + "\",\"role\":\"submitter\",\"max_active\":50,\"rate_per_minute\":1000}", stack.adminKey());
        assertEquals(201, answer.status(), answer.raw().body());
        return answer.body().get("key").asText();
    }

    private String submit(String key, String json) {
        var answer = stack.post("/v1/submissions", "application/json", json, key);
        assertEquals(202, answer.status(), answer.raw().body());
        return answer.body().get("id").asText();
    }

    private JsonNode finished(String id, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode submission = stack.get("/v1/submissions/" + id, key).body();
            String status = submission.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                return submission;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("submission " + id + " did not finish within 3 minutes");
    }

    private static Instant at(JsonNode submission, String field) {
        return Instant.parse(submission.get(field).asText());
    }

    @Test
    void anotherKeysProgramStartsBeforeTheFloodThatWasQueuedFirst() throws Exception {
        String flooder = newKey("it-flooder");
        String victim = newKey("it-victim");
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(submit(flooder, SLEEPER));
        }
        JsonNode hello = finished(submit(victim, HELLO), victim);
        assertEquals("accepted", hello.get("verdict").asText(), hello.toString());
        Instant helloStarted = at(hello, "started_at");
        int startedBefore = 0;
        for (String id : flood) {
            if (at(finished(id, flooder), "started_at").isBefore(helloStarted)) {
                startedBefore++;
            }
        }
        // First in, first out would start all twelve first; round robin at most one per slot and one more.
        assertTrue(startedBefore <= FLOOD / 2, startedBefore + " of the flood's " + FLOOD + " jobs started before the victim's");
    }

    @Test
    void longSubmissionsMakeWayBetweenTheirTests() throws Exception {
        String flooder = newKey("it-long-tests");
        String victim = newKey("it-waiting");
        List<String> flood = new ArrayList<>();
        // At least as many as there are slots, so that every slot is busy with four seconds of tests.
        for (int i = 0; i < 8; i++) {
            flood.add(submit(flooder, LONG_TESTED));
        }
        JsonNode hello = finished(submit(victim, HELLO), victim);
        Instant helloFinished = at(hello, "finished_at");
        for (String id : flood) {
            JsonNode flooded = finished(id, flooder);
            assertEquals("accepted", flooded.get("verdict").asText(), flooded.toString());
            // Without a turn between tests, the victim would wait for a whole submission to end.
            assertTrue(helloFinished.isBefore(at(flooded, "finished_at")),
                    "the victim finished at " + helloFinished + ", after a long submission that finished at " + flooded.get("finished_at"));
        }
    }
}
