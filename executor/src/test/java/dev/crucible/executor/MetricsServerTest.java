package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.queue.QueueMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void getMetricsAnswersTheRegistryAsPrometheusText() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Held here: the gauge keeps only a weak reference to what it reads.
        JobMetrics jobs = new JobMetrics(registry);
        jobs.runStarted();
        new QueueMeters(registry).deadLettered("jobs");
        try (MetricsServer server = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), registry);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(response.body().contains("crucible_executor_running_jobs 1.0"), response.body());
            assertTrue(response.body().contains("crucible_queue_dead_letters_total{stream=\"jobs\"} 1.0"), response.body());
        }
    }
}
