package dev.crucible.executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.executor.sandbox.Sandbox;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.queue.QueueObserver;
import dev.crucible.queue.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's figures, served as Prometheus text at {@code GET /metrics}: sandboxes running now,
 * finished jobs by verdict with how long each took (compile and every run, start to teardown), the
 * stages of every sandbox, and the jobs this executor reclaimed or dead-lettered.
 */
final class ExecutorMetrics implements QueueObserver, AutoCloseable {
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
                .tag("verdict", verdict.wireName())
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code sandbox}, recording the stages of every sandbox it runs, compile sandboxes included. */
    Sandbox measuring(Sandbox sandbox) {
        return (spec, cancellation) -> {
            SandboxRun run = sandbox.run(spec, cancellation);
            // A run cancelled before its sandbox was created has no stages to show.
            if (!run.stages().equals(SandboxRun.Stages.NONE)) {
                stage("create", run.stages().create());
                stage("start", run.stages().start());
                stage("run", run.stages().run());
                stage("teardown", run.stages().teardown());
            }
            return run;
        };
    }

    private void stage(String name, Duration duration) {
        Timer.builder("crucible_sandbox_stage").description("Stages of each sandbox: create, start, run, teardown")
                .tag("stage", name)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    @Override
    public void reclaimed(String stream, int entries) {
        registry.counter("crucible_queue_reclaims", "stream", stream).increment(entries);
    }

    @Override
    public void deadLettered(String stream) {
        registry.counter("crucible_queue_dead_letters", "stream", stream).increment();
    }

    /** Every figure, in Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
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
