package dev.crucible.executor;

import dev.crucible.executor.sandbox.DockerSandbox;
import dev.crucible.executor.sandbox.SandboxPolicy;
import dev.crucible.lifecycle.ShutdownSignal;
import dev.crucible.queue.ExecutorRegistry;
import dev.crucible.queue.QueueMeters;
import dev.crucible.queue.QueueSettings;
import dev.crucible.queue.RedisQueue;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executor daemon: wires the parts, runs until SIGTERM, then finishes the jobs in hand. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(60);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private Main() {}

    public static void main(String[] args) throws Exception {
        // The JVM exits when the hook returns: the signal holds it until the jobs in hand are reported and everything is closed.
        try (ShutdownSignal shutdown = ShutdownSignal.install()) {
            run(shutdown);
        }
    }

    private static void run(ShutdownSignal shutdown) throws Exception {
        ExecutorConfig config = ExecutorConfig.fromEnvironment(System.getenv());
        RuntimeCatalog catalog = RuntimeCatalog.load(config.runtimesDir());
        Clock clock = Clock.systemUTC();
        String name = config.name();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JobMetrics jobMetrics = new JobMetrics(meters);
        ExecutorConfig.Queue queueConfig = config.queue();
        ExecutorConfig.SandboxHost host = config.sandboxHost();
        try (MetricsServer _ = new MetricsServer(config.metricsListen(), meters);
             RedisQueue queue = RedisQueue.connect(new QueueSettings(queueConfig.redisUri().reveal(), queueConfig.prefix(),
                     Duration.ofSeconds(10), queueConfig.reclaimAfter(), queueConfig.maxDeliveries()), new QueueMeters(meters));
             DockerSandbox sandbox = DockerSandbox.connect(host.dockerHost(), SandboxPolicy.DEFAULT, host.cgroupRoot(), name,
                     host.pool());
             SandboxHealth health = new SandboxHealth(sandbox::ping, sandbox::recoverFromOutage)) {
            int leftovers = sandbox.removeLeftovers();
            if (leftovers > 0) {
                log.warn("removed {} sandbox(es) left by an earlier run of {}", leftovers, name);
            }
            sandbox.startPool(expectedSandboxes(catalog));
            PoolMetrics.register(meters, sandbox);
            Gauge.builder("crucible_sandbox_host_healthy", () -> health.healthy() ? 1 : 0)
                    .description("1 while Docker answers; 0 while a machinery failure keeps this executor from taking jobs")
                    .register(meters);
            JobRunner runner = new JobRunner(catalog, new MeteredSandbox(sandbox, meters), clock, name, host.sandboxVersion(),
                    config.maxSubmissionOutputBytes(), new JobRunner.Retries(config.machineryRetries().attempts(),
                            config.machineryRetries().deadline(), FIRST_BACKOFF, health));
            List<Worker> workers = new ArrayList<>();
            for (int slot = 0; slot < config.slots(); slot++) {
                String slotName = name + "-" + slot;
                Worker worker = new Worker(slotName, queue.jobSource(slotName, new GivenUpAsInternalError(queue.eventSink(), clock)),
                        queue.eventSink(), queue.cancellations(), runner, health, clock, queueConfig.reclaimAfter(), jobMetrics);
                workers.add(worker);
                worker.start();
            }
            ExecutorRegistry registry = queue.executorRegistry();
            log.info("executor {} ready: {} slot(s), docker at {}, runtimes {}", name, config.slots(),
                    host.dockerHost(), catalog.all().stream().map(r -> r.name()).toList());
            while (!shutdown.await(HEARTBEAT)) {
                try {
                    registry.heartbeat(name, health.healthy());
                } catch (RuntimeException e) {
                    log.error("heartbeat failed: {}", e.getMessage());
                }
            }
            log.info("stopping: finishing the jobs in hand");
            stopAll(workers);
        }
    }

    /** Each runtime's image with the memory of its default run and, for a compiled one, of its compile. */
    private static Map<String, Set<Long>> expectedSandboxes(RuntimeCatalog catalog) {
        Map<String, Set<Long>> expected = new HashMap<>();
        for (RuntimeManifest runtime : catalog.all()) {
            Set<Long> memories = expected.computeIfAbsent(runtime.image().tag(), tag -> new HashSet<>());
            memories.add(runtime.defaultLimits().memoryMb() << 20);
            if (runtime.compiled()) {
                memories.add(runtime.compile().limits().memoryMb() << 20);
            }
        }
        return expected;
    }

    private static void stopAll(List<Worker> workers) {
        for (Worker worker : workers) {
            try {
                if (!worker.stop(SHUTDOWN_GRACE)) {
                    log.warn("a slot did not finish within {}; its job stays pending and will be run again", SHUTDOWN_GRACE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
