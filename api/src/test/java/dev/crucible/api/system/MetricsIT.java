package dev.crucible.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.StackUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** GET /metrics on the real api, in Prometheus text format. */
class MetricsIT {
    private final StackUnderTest stack = new StackUnderTest();

    private HttpResponse<String> metrics() throws Exception {
        URI uri = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/metrics");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsAreCountedByRouteAndStatus() throws Exception {
        stack.get("/v1/health", null);
        stack.get("/v1/submissions/00000000-0000-0000-0000-000000000000", stack.adminKey());
        HttpResponse<String> response = metrics();
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String body = response.body();
        assertTrue(body.contains("crucible_http_requests_seconds_count{method=\"GET\",route=\"/v1/health\",status=\"200\"}"), body);
        assertTrue(body.contains("route=\"/v1/submissions/{id}\",status=\"404\""), "routes are labelled by template, not by id");
        assertTrue(body.contains("crucible_http_requests_seconds_bucket{"), "latency is a histogram");
    }

    @Test
    void completedSubmissionsAreCountedByVerdict() throws Exception {
        stack.submit("{\"runtime\":\"python\",\"source\":\"print(1)\"}");
        String body = metrics().body();
        assertTrue(body.contains("crucible_submissions_completed_total{verdict=\"accepted\"}"), body);
        assertTrue(body.contains("crucible_queue_jobs "), body);
        assertTrue(body.contains("crucible_queue_oldest_job_age_seconds "), body);
        assertTrue(body.contains("crucible_queue_waiting_keys "), body);
    }

    @Test
    void databaseSizeIsAPositiveGauge() throws Exception {
        assertTrue(gauge("crucible_database_size_bytes") > 0);
    }

    @Test
    void redisMemoryIsAPositiveGauge() throws Exception {
        assertTrue(gauge("crucible_queue_memory_bytes") > 0);
    }

    /** The stack's one executor is live and its Docker answers. */
    @Test
    void executorsAcrossHostsAreCountedLiveAndHealthy() throws Exception {
        assertEquals(1.0, gauge("crucible_executors_live"));
        assertEquals(1.0, gauge("crucible_executors_healthy"));
    }

    /** The launcher points the api at its logs; the api's own log has lines in it by now. */
    @Test
    void logSizeIsAPositiveGauge() throws Exception {
        assertTrue(gauge("crucible_log_bytes") > 0);
    }

    private double gauge(String name) throws Exception {
        String body = metrics().body();
        Matcher value = Pattern.compile("(?m)^" + name + " ([0-9.Ee+]+)$").matcher(body);
        assertTrue(value.find(), name + " is missing: " + body);
        return Double.parseDouble(value.group(1));
    }
}
