package dev.crucible.executor;

import dev.crucible.executor.sandbox.DockerSandbox;
import dev.crucible.executor.sandbox.SandboxPolicy;
import dev.crucible.queue.ExecutorRegistry;
import dev.crucible.queue.QueueSettings;
import dev.crucible.queue.RedisQueue;
import dev.crucible.runtime.RuntimeCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executor daemon: wires the parts, runs until SIGTERM, then finishes the jobs in hand. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(60);

    private Main() {}

    public static void main(String[] args) throws Exception {
        CountDownLatch shutdown = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // The JVM exits when the hook returns: hold it until the jobs in hand are reported and everything is closed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        try {
            run(shutdown);
        } finally {
            closed.countDown();
        }
    }

    private static void run(CountDownLatch shutdown) throws Exception {
        ExecutorConfig config = ExecutorConfig.fromEnvironment(System.getenv());
        RuntimeCatalog catalog = RuntimeCatalog.load(config.runtimesDir());
        Clock clock = Clock.systemUTC();
        try (ExecutorMetrics metrics = new ExecutorMetrics(config.metricsListen());
             RedisQueue queue = RedisQueue.connect(new QueueSettings(config.redisUri(), config.queuePrefix(),
                     Duration.ofSeconds(10), config.reclaimAfter(), config.maxDeliveries()), metrics);
             DockerSandbox sandbox = DockerSandbox.connect(config.dockerHost(), SandboxPolicy.DEFAULT, config.cgroupRoot(),
                     config.name())) {
            int leftovers = sandbox.removeLeftovers();
            if (leftovers > 0) {
                log.warn("removed {} sandbox(es) left by an earlier run of {}", leftovers, config.name());
            }
            JobRunner runner = new JobRunner(catalog, metrics.measuring(sandbox), clock, config.name(), config.sandboxVersion());
            List<Worker> workers = new ArrayList<>();
            for (int slot = 0; slot < config.slots(); slot++) {
                String slotName = config.name() + "-" + slot;
                Worker worker = new Worker(slotName, queue.jobSource(slotName, new GivenUpAsInternalError(queue.eventSink(), clock)),
                        queue.eventSink(), queue.cancellations(), runner, clock, config.reclaimAfter(), metrics);
                workers.add(worker);
                Thread.ofVirtual().name(slotName).start(worker);
            }
            ExecutorRegistry registry = queue.executorRegistry();
            log.info("executor {} ready: {} slot(s), docker at {}, runtimes {}", config.name(), config.slots(),
                    config.dockerHost(), catalog.all().stream().map(r -> r.name()).toList());
            while (!shutdown.await(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    registry.heartbeat(config.name());
                } catch (RuntimeException e) {
                    log.error("heartbeat failed: {}", e.getMessage());
                }
            }
            log.info("stopping: finishing the jobs in hand");
            stopAll(workers);
        }
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
