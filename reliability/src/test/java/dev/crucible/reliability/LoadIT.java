package dev.crucible.reliability;

import static dev.crucible.reliability.RunningStack.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * A bounded burst of submissions from many clients at once (the small size; bench/load runs the
 * large one): every one ends final exactly once and no sandbox is left behind.
 */
class LoadIT {
    private static final int SUBMISSIONS = Integer.getInteger("crucible.load.submissions", 40);
    private static final int CLIENTS = Integer.getInteger("crucible.load.clients", 16);
    private final RunningStack stack = new RunningStack();

    @Test
    void everySubmissionOfABurstEndsOnceAndNoSandboxIsLeft() throws Exception {
        RunningStack.Answer created = stack.send("POST", "/v1/keys",
                "{\"name\":\"load\",\"role\":\"submitter\",\"rate_per_minute\":10000,\"max_active\":1000,"
                        + "\"sandbox_ms_per_minute\":100000000,\"sandbox_ms_per_hour\":1000000000}", stack.adminKey(), Map.of());
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String key = created.body().get("key").asText();
        double completedBefore = RunningStack.metricSum(stack.apiMetrics(), "crucible_submissions_completed_total");

        long started = System.nanoTime();
        Semaphore clients = new Semaphore(CLIENTS);
        List<Future<RunningStack.Answer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < SUBMISSIONS; i++) {
                String body = "{\"runtime\":\"python\",\"source\":\"print(" + i + ")\"}";
                answers.add(threads.submit(() -> {
                    clients.acquire();
                    try {
                        return stack.send("POST", "/v1/submissions?wait=true", body, key, Map.of());
                    } finally {
                        clients.release();
                    }
                }));
            }
            // While the burst is in flight: both metrics endpoints answer, and show work under way.
            String executorPage = stack.executorMetrics();
            String apiPage = stack.apiMetrics();
            assertTrue(executorPage.contains("crucible_executor_running_jobs"), executorPage);
            assertTrue(apiPage.contains("crucible_queue_jobs"), apiPage);
            assertTrue(RunningStack.metricSum(apiPage, "crucible_http_requests_seconds_count") > 0, apiPage);
        }
        List<String> ids = new ArrayList<>();
        for (Future<RunningStack.Answer> answer : answers) {
            RunningStack.Answer a = answer.get();
            assertTrue(a.status() == 200 || a.status() == 202, () -> "submit answered " + a.status() + " " + a.body());
            ids.add(a.body().get("id").asText());
        }
        List<JsonNode> finals = stack.awaitFinal(ids, Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - started) / 1e9;

        for (int i = 0; i < finals.size(); i++) {
            assertEquals("accepted", finals.get(i).get("verdict").asText(), finals.get(i).toString());
            assertEquals(i + "\n", finals.get(i).get("stdout").asText());
        }
        assertEquals(completedBefore + SUBMISSIONS,
                RunningStack.metricSum(stack.apiMetrics(), "crucible_submissions_completed_total"), "each stored exactly once");
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(30));
        System.out.printf("load: %d submissions from %d clients in %.1f s: %.2f submissions/s%n",
                SUBMISSIONS, CLIENTS, seconds, SUBMISSIONS / seconds);
    }
}
