package dev.crucible.executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.queue.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's figures, served as Prometheus text at {@code GET /metrics}: sandboxes running now,
 * and finished jobs by verdict with how long each took (compile and every run, start to teardown).
 */
final class ExecutorMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExecutorMetrics.class);

    final AtomicInteger running = new AtomicInteger();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    ExecutorMetrics(InetSocketAddress listen) throws IOException {
        Gauge.builder("crucible_executor_running_jobs", running, AtomicInteger::get)
                .description("Jobs this executor is running now").register(registry);
        server = HttpServer.create(listen, 16);
        server.createContext("/metrics", this::serve);
        server.start();
    }

    void finished(Verdict verdict, long nanos) {
        Timer.builder("crucible_executor_jobs").description("Finished jobs by verdict, with their duration")
                .tag("verdict", verdict.name().toLowerCase(Locale.ROOT))
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 200 : 405, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot serve metrics to {}: {}", exchange.getRemoteAddress(), e.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
