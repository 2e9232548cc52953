package dev.crucible.executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's figures, served as Prometheus text at {@code GET /metrics}: sandboxes running now and
 * finished jobs by verdict ({@link JobMetrics}), the stages of every sandbox ({@link MeteredSandbox}),
 * and the jobs this executor reclaimed or dead-lettered ({@link dev.crucible.queue.QueueMeters}).
 */
final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    MetricsServer(InetSocketAddress listen, PrometheusMeterRegistry registry) throws IOException {
        this.registry = registry;
        server = HttpServer.create(listen, 16);
        server.createContext("/metrics", this::serve);
        server.start();
    }

    /** Where it listens: the port is the one bound when {@code listen} asked for port 0. */
    InetSocketAddress address() {
        return server.getAddress();
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
