package dev.crucible.executor;

import dev.crucible.executor.live.LiveFeed;
import dev.crucible.executor.sandbox.DockerSandbox;
import dev.crucible.executor.sandbox.SandboxPolicy;
import dev.crucible.executor.session.SessionHost;
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

/**
 * The executor daemon: wires the parts, runs until SIGTERM, then drains: takes no new job, lets the
 * jobs in hand run on until the drain deadline, then stops those still running and hands them back
 * to the queue, for another executor to run at once.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** After the drain deadline: for the runs told to stop to end, their sandboxes to go and their jobs to be handed back. */
    private static final Duration HAND_BACK_GRACE = Duration.ofSeconds(15);
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
             SandboxHealth health = new SandboxHealth(sandbox::ping, sandbox::recoverFromOutage);
             SessionHost sessions = new SessionHost(queue.sessionInbox(name), sandbox, new SessionHost.Settings(host.maxSessions(),
                     config.submissionOutput().storedBytes(), liveOutput(queue, config)), name, clock)) {
            int leftovers = sandbox.removeLeftovers();
            if (leftovers > 0) {
                log.warn("removed {} sandbox(es) left by an earlier run of {}", leftovers, name);
            }
            sandbox.startPool(expectedSandboxes(catalog));
            PoolMetrics.register(meters, sandbox);
            sessions.start();
            Gauge.builder("crucible_sessions_held", sessions::held)
                    .description("Sessions this executor holds: started sandboxes that take commands").register(meters);
            Gauge.builder("crucible_sandbox_host_healthy", () -> health.healthy() ? 1 : 0)
                    .description("1 while Docker answers; 0 while a machinery failure keeps this executor from taking jobs")
                    .register(meters);
            JobRunner runner = new JobRunner(catalog, new MeteredSandbox(sandbox, meters), clock, name, host.sandboxVersion(),
                    config.submissionOutput().storedBytes(), new JobRunner.Retries(config.machineryRetries().attempts(),
                            config.machineryRetries().deadline(), FIRST_BACKOFF, health),
                    liveOutput(queue, config));
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
            log.info("stopping: taking no new job, finishing the jobs in hand within {}", queueConfig.drain());
            drain(workers, queueConfig.drain());
        }
    }

    /** Submissions and session commands alike: each capped at {@code CRUCIBLE_LIVE_OUTPUT_BYTES}. */
    private static LiveFeed.Settings liveOutput(RedisQueue queue, ExecutorConfig config) {
        return new LiveFeed.Settings(queue.liveOutput(), config.submissionOutput().liveBytes());
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

    /** Every slot at once stops taking jobs; what still runs at {@code deadline} is handed back. */
    private static void drain(List<Worker> workers, Duration deadline) throws InterruptedException {
        for (Worker worker : workers) {
            worker.stopTaking();
        }
        List<Worker> running = awaitStopped(workers, deadline);
        if (running.isEmpty()) {
            log.info("stopping: every job in hand finished");
            return;
        }
        log.info("stopping: {} slot(s) still run a job after {}; handing their jobs back to the queue", running.size(), deadline);
        for (Worker worker : running) {
            worker.handBack();
        }
        List<Worker> stuck = awaitStopped(running, HAND_BACK_GRACE);
        if (!stuck.isEmpty()) {
            log.warn("{} slot(s) did not hand their job back within {}; it stays pending and is run again after the reclaim time",
                    stuck.size(), HAND_BACK_GRACE);
        }
    }

    /** The workers still running once {@code limit} has passed, for all of them together. */
    private static List<Worker> awaitStopped(List<Worker> workers, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Worker> running = new ArrayList<>();
        for (Worker worker : workers) {
            if (!worker.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                running.add(worker);
            }
        }
        return running;
    }
}
