package dev.crucible.executor;

import static dev.crucible.testsupport.StackVariables.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The running executor's GET /metrics, after it ran a job submitted through the api. */
class ExecutorMetricsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(variable("CRUCIBLE_TEST_EXECUTOR_METRICS_URL")))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void finishedJobsAreCountedByVerdict() throws Exception {
        HttpResponse<String> submitted = HTTP.send(HttpRequest.newBuilder(
                        URI.create(variable("CRUCIBLE_TEST_API_URL") + "/v1/submissions?wait=true"))
                .header("Authorization", "Bearer " + variable("CRUCIBLE_TEST_ADMIN_KEY"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"runtime\":\"python\",\"source\":\"import sys; sys.exit(4)\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, submitted.statusCode(), submitted.body());
        HttpResponse<String> response = metrics();
        assertEquals(200, response.statusCode());
        String body = response.body();
        assertTrue(body.contains("crucible_executor_jobs_seconds_count{verdict=\"runtime_error\"}"), body);
        assertTrue(body.contains("crucible_executor_running_jobs "), body);
    }
}
