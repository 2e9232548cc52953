package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Sandboxes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cancelling through the real api: a running sandbox is killed, a queued job never runs. */
class CancellationIT {
    private final StackUnderTest stack = new StackUnderTest();

    private String submitSleeper() {
        var answer = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":\"import time; time.sleep(60)\",\"limits\":{\"wall_time_ms\":20000}}",
                stack.adminKey());
        assertEquals(202, answer.status(), answer.raw().body());
        return answer.body().get("id").asText();
    }

    private HttpResponse<String> cancel(String id, String key) throws Exception {
        URI uri = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/v1/submissions/" + id);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String status(String id) {
        return stack.get("/v1/submissions/" + id, stack.adminKey()).body().get("status").asText();
    }

    private boolean becomes(String id, String wanted, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!status(id).equals(wanted)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }


    @Test
    void runningSubmissionIsKilled() throws Exception {
        String id = submitSleeper();
        assertTrue(becomes(id, "running", Duration.ofSeconds(20)), "it should start");
        long asked = System.nanoTime();
        HttpResponse<String> answer = cancel(id, stack.adminKey());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("cancelled", status(id));
        assertTrue(Sandboxes.noneWithin(Duration.ofSeconds(10)), "the sandbox must be killed and removed");
        long took = (System.nanoTime() - asked) / 1_000_000;
        assertTrue(took < 10_000, "took " + took + " ms");
    }

    @Test
    void queuedSubmissionNeverRuns() throws Exception {
        List<String> sleepers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sleepers.add(submitSleeper());
        }
        String last = sleepers.getLast();
        assertTrue(becomes(sleepers.getFirst(), "running", Duration.ofSeconds(20)));
        assertEquals("queued", status(last), "more sleepers than executor slots: the last one waits");
        assertEquals(200, cancel(last, stack.adminKey()).statusCode());
        for (String sleeper : sleepers.subList(0, 3)) {
            cancel(sleeper, stack.adminKey());
        }
        assertTrue(Sandboxes.noneWithin(Duration.ofSeconds(15)));
        var result = stack.get("/v1/submissions/" + last, stack.adminKey()).body();
        assertEquals("cancelled", result.get("status").asText());
        assertFalse(result.has("started_at"), "a cancelled queued submission never starts");
    }

    @Test
    void finishedSubmissionCannotBeCancelled() throws Exception {
        String id = stack.submit("{\"runtime\":\"python\",\"source\":\"print(1)\"}").body().get("id").asText();
        HttpResponse<String> answer = cancel(id, stack.adminKey());
        assertEquals(409, answer.statusCode());
        assertTrue(answer.body().contains("already_final"));
    }
}
