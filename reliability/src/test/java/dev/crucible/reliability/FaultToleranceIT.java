package dev.crucible.reliability;

import static dev.crucible.reliability.RunningStack.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.testsupport.Sandboxes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each test SIGKILLs (or crashes) one real part of the running stack at a bad moment, brings it back
 * with {@code ./crucible up}, and checks that every submission accepted around the fault reaches
 * exactly one final state.
 */
class FaultToleranceIT {
    private static final Duration FINAL_WITHIN = Duration.ofSeconds(90);
    private final RunningStack stack = new RunningStack();

    @AfterEach
    void bringEverythingBack() {
        stack.up();
    }

    private List<String> submitSleepers(int count, String tag) {
        return IntStream.range(0, count)
                .mapToObj(i -> stack.submit("python", "import time\ntime.sleep(1)\nprint('" + tag + "', " + i + ")"))
                .toList();
    }

    private static void assertAllAccepted(List<JsonNode> finals, String tag) {
        for (int i = 0; i < finals.size(); i++) {
            JsonNode s = finals.get(i);
            assertEquals("completed", s.get("status").asText(), s.toString());
            assertEquals("accepted", s.get("verdict").asText(), s.toString());
            assertEquals(tag + " " + i + "\n", s.get("stdout").asText(), s.toString());
        }
    }

    /** A session lives in its executor's sandbox: when that executor dies, the session ends and says why, no silent hang. */
    @Test
    void anExecutorKilledEndsItsSessionsAsLost() {
        RunningStack.Answer created = stack.send("POST", "/v1/sessions", "{\"runtime\":\"python\"}", stack.adminKey(), Map.of());
        assertEquals(201, created.status(), created.body().toString());
        String id = created.body().get("id").asText();
        awaitTrue("session " + id + " to be ready", Duration.ofSeconds(60), () ->
                stack.send("GET", "/v1/sessions/" + id, null, stack.adminKey(), Map.of()).body().get("status").asText().equals("ready"));

        stack.kill("executor");
        stack.up();

        awaitTrue("session " + id + " to end", Duration.ofSeconds(60), () ->
                stack.send("GET", "/v1/sessions/" + id, null, stack.adminKey(), Map.of()).body().get("status").asText().equals("ended"));
        JsonNode ended = stack.send("GET", "/v1/sessions/" + id, null, stack.adminKey(), Map.of()).body();
        assertEquals("executor_lost", ended.get("ended_reason").asText(), ended.toString());
        RunningStack.Answer refused = stack.send("POST", "/v1/sessions/" + id + "/commands", "{\"argv\":[\"true\"]}",
                stack.adminKey(), Map.of());
        assertEquals(409, refused.status(), refused.body().toString());
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(30));
    }

    @Test
    void executorKilledMidRunIsRunAgainAndCompletesOnce() {
        String id = stack.submit("python", "import time\ntime.sleep(3)\nprint('survived')");
        awaitTrue("the run to start", Duration.ofSeconds(30), () -> stack.submission(id).get("status").asText().equals("running"));

        stack.kill("executor");
        stack.up();

        JsonNode done = stack.awaitFinal(List.of(id), FINAL_WITHIN).getFirst();
        assertEquals("accepted", done.get("verdict").asText(), done.toString());
        assertEquals("survived\n", done.get("stdout").asText());
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(30));
    }

    @Test
    void resultsWaitingForAKilledApiAreStoredOnceAfterItsRestart() {
        double finishedBefore = RunningStack.metricSum(stack.executorMetrics(), "crucible_executor_jobs_seconds_count");
        List<String> ids = submitSleepers(4, "api-down");
        stack.kill("api");
        awaitTrue("the executor to finish all 4 while the api is down", FINAL_WITHIN, () ->
                RunningStack.metricSum(stack.executorMetrics(), "crucible_executor_jobs_seconds_count") >= finishedBefore + 4);

        stack.up();

        assertAllAccepted(stack.awaitFinal(ids, FINAL_WITHIN), "api-down");
        // A fresh api counts from zero: each result stored once counts once, a second store would count again.
        assertEquals(4.0, RunningStack.metricSum(stack.apiMetrics(), "crucible_submissions_completed_total"));
    }

    @Test
    void jobsQueuedInRedisSurviveItsRestart() {
        stack.kill("executor");
        List<String> ids = submitSleepers(3, "redis-restart");
        awaitTrue("the 3 jobs to reach Redis", Duration.ofSeconds(30), () ->
                RunningStack.metricSum(stack.apiMetrics(), "crucible_queue_jobs") >= 3);

        stack.kill("redis");
        stack.up();

        assertAllAccepted(stack.awaitFinal(ids, FINAL_WITHIN), "redis-restart");
    }

    @Test
    void postgresDownAnswers503WritesNothingAndQueuedWorkCompletesAfter() {
        stack.kill("executor");
        List<String> ids = submitSleepers(2, "pg-down");
        String key = "pg-down-" + UUID.randomUUID();
        stack.crashPostgres();

        RunningStack.Answer refused = stack.send("POST", "/v1/submissions", "{\"runtime\":\"python\",\"source\":\"print(1)\"}",
                stack.adminKey(), Map.of("Idempotency-Key", key));
        assertEquals(503, refused.status(), () -> String.valueOf(refused.body()));
        assertEquals("application/problem+json", refused.contentType());
        assertEquals("service_unavailable", refused.body().get("code").asText());

        stack.up();

        assertAllAccepted(stack.awaitFinal(ids, FINAL_WITHIN), "pg-down");
        // Had the refused request left a row behind, the same key with another body would be a conflict (409).
        RunningStack.Answer retried = stack.send("POST", "/v1/submissions", "{\"runtime\":\"python\",\"source\":\"print(2)\"}",
                stack.adminKey(), Map.of("Idempotency-Key", key));
        assertEquals(202, retried.status(), () -> String.valueOf(retried.body()));
    }

    private String executorsCheck() {
        return stack.send("GET", "/v1/ready", null, stack.adminKey(), Map.of()).body().path("checks").path("executors").asText();
    }

    @Test
    void withTheDockerProxyDownAJobWaitsForItWhileReadinessSaysNoExecutorIsHealthy() {
        stack.kill("docker-proxy");
        String id = stack.submit("python", "print('waited for docker')");

        // Its first attempt fails on the missing proxy; the executor then takes no jobs and says so in its heartbeat.
        awaitTrue("readiness to count no healthy executor", Duration.ofSeconds(60), () -> executorsCheck().endsWith(", 0 healthy"));
        stack.up();

        JsonNode done = stack.awaitFinal(List.of(id), FINAL_WITHIN).getFirst();
        assertEquals("accepted", done.get("verdict").asText(), done.toString());
        assertEquals("waited for docker\n", done.get("stdout").asText(), done.toString());
        awaitTrue("the executor to be healthy again", Duration.ofSeconds(30), () -> !executorsCheck().endsWith(", 0 healthy"));
    }

    @Test
    void dockerdKilledUnderRunningProgramsRunsThemAgainAndNoneEndsAsInternalError() {
        List<String> ids = submitSleepers(6, "dockerd");
        awaitTrue("a run to start", Duration.ofSeconds(30),
                () -> ids.stream().anyMatch(id -> stack.submission(id).get("status").asText().equals("running")));

        stack.kill("dockerd");
        stack.up();

        assertAllAccepted(stack.awaitFinal(ids, FINAL_WITHIN), "dockerd");
        // The restarted dockerd keeps the stopped sandboxes of the killed runs; their removals failed while it was down.
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(75));
        // A sandbox being started when dockerd died can outlive its container; `up` stops what no Docker knows.
        stack.up();
        awaitTrue("every gVisor sandbox process to belong to a container", Duration.ofSeconds(30),
                () -> Sandboxes.gvisorProcesses() <= Sandboxes.existing() + Sandboxes.idleInPool());
    }
}
