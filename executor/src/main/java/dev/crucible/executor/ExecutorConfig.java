package dev.crucible.executor;

import dev.crucible.config.Environment;
import dev.crucible.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import dev.crucible.executor.sandbox.PoolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the executor reads from its environment, read once at start and validated here. This
 * table is the one list of the executor's variables; docs/operations.md and the launcher point here.
 * The launcher passes every {@code CRUCIBLE_*} variable of its caller through, except the api's
 * database credentials, and sets the connection ones itself.
 *
 * <table>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>CRUCIBLE_REDIS_URI</td><td>(required)</td><td>the queue's Redis, {@code redis://:password@host:port}</td></tr>
 * <tr><td>CRUCIBLE_QUEUE_PREFIX</td><td>crucible</td><td>prefix of every Redis key</td></tr>
 * <tr><td>CRUCIBLE_DOCKER_HOST</td><td>tcp://127.0.0.1:2375</td><td>the Docker socket proxy; never the socket itself</td></tr>
 * <tr><td>CRUCIBLE_RUNTIMES_DIR</td><td>runtimes</td><td>the runtime manifests</td></tr>
 * <tr><td>CRUCIBLE_EXECUTOR_NAME</td><td>executor-&lt;hostname&gt;</td><td>stable name: consumer name in Redis and sandbox label</td></tr>
 * <tr><td>CRUCIBLE_EXECUTOR_SLOTS</td><td>cores + 1</td><td>sandboxes run at once (1..64). Measured on 2 cores (bench/load): 2 slots 0.69x raw runsc's best throughput, 3 slots 0.74x, 4 slots 0.75x; the machine is CPU-bound past cores + 1, and each slot holds a program's memory limit</td></tr>
 * <tr><td>CRUCIBLE_METRICS_LISTEN</td><td>127.0.0.1:9102</td><td>where {@code GET /metrics} (Prometheus text) answers: see {@link MetricsServer} for the figures</td></tr>
 * <tr><td>CRUCIBLE_MAX_DELIVERIES</td><td>3</td><td>a job handed out more often (its executors kept dying on it) ends as internal_error</td></tr>
 * <tr><td>CRUCIBLE_SANDBOX_VERSION</td><td>runsc</td><td>the sandbox runtime and its version, reported in results (the launcher passes {@code runsc --version})</td></tr>
 * <tr><td>CRUCIBLE_CGROUP_ROOT</td><td>/sys/fs/cgroup</td><td>where the host mounts its cgroups (v1 or v2): each sandbox's CPU time and peak memory are read there, so the executor must run on the host of the Docker daemon, with read access</td></tr>
 * <tr><td>CRUCIBLE_POOL_SIZE</td><td>2</td><td>started sandboxes kept waiting per runtime image and memory limit that runs asked for in the last CRUCIBLE_POOL_DEMAND_MS; 0 turns the pool off (each run then starts its own sandbox, ~250 ms more); an idle sandbox costs ~20 MB of host memory and ~3% of a core (runsc's systrap platform, gVisor issue 13361; bench/idle)</td></tr>
 * <tr><td>CRUCIBLE_POOL_EXPECTED</td><td>0</td><td>the same for each runtime's default limits before any run asked for them (at most CRUCIBLE_POOL_SIZE): 1 makes every runtime's first run after a quiet spell a hit, for ~3% of a core per runtime for ever (bench/idle)</td></tr>
 * <tr><td>CRUCIBLE_POOL_MAX_IDLE</td><td>16</td><td>idle sandboxes in all</td></tr>
 * <tr><td>CRUCIBLE_POOL_MAX_AGE_MS</td><td>600000</td><td>an idle sandbox older than this is replaced unused</td></tr>
 * <tr><td>CRUCIBLE_POOL_DEMAND_MS</td><td>300000</td><td>how long a key runs asked for stays in demand</td></tr>
 * <tr><td>CRUCIBLE_MAX_SUBMISSION_OUTPUT_BYTES</td><td>4194304</td><td>stdout and stderr stored of all of one submission's tests or runs together (0..67108864); past it, later output is counted as truncated bytes, as for one stream past its limit, so one result stays small enough to serve</td></tr>
 * <tr><td>CRUCIBLE_LIVE_OUTPUT_BYTES</td><td>262144</td><td>output of one submission (all its sandboxes), or of one session command, sent live to its event stream while it runs, in chunks of at most 4 KiB or 100 ms (0..16777216; 0 sends none); past it, output is only in the result. Live output stays in Redis 15 minutes after its last chunk</td></tr>
 * <tr><td>CRUCIBLE_MACHINERY_ATTEMPTS</td><td>4</td><td>a job whose machinery failed (Docker or its proxy unreachable or failing, a sandbox that could not be created, started or watched) is run again from scratch, up to this many attempts in all, each once Docker answers again and after a backoff doubling from 1 s; only the last failure ends it as internal_error (1..100)</td></tr>
 * <tr><td>CRUCIBLE_MACHINERY_DEADLINE_MS</td><td>300000</td><td>no new attempt starts later than this after the first</td></tr>
 * <tr><td>CRUCIBLE_DRAIN_MS</td><td>60000</td><td>on SIGTERM the executor takes no new job and lets the jobs in hand run on this long; those still running then are stopped and handed back to the queue, where another executor (or this one, started again) takes them at once, from the start (0..3600000). The launcher waits this long and 30 s more before it kills the executor</td></tr>
 * <tr><td>CRUCIBLE_MAX_SESSIONS</td><td>4</td><td>sessions this executor holds at once (0..256); each is a sandbox of its session's memory limit, idle at ~19 MB of host memory and no CPU between commands, and its commands run beside the slots' jobs. 0 takes none</td></tr>
 * <tr><td>CRUCIBLE_RECLAIM_AFTER_MS</td><td>120000</td><td>a job whose executor stopped renewing its claim this long ago is run again elsewhere (a running job's claim is renewed every quarter of it); at least 20000</td></tr>
 * </table>
 *
 * <p>{@code CRUCIBLE_LOG_LEVEL} is the logging module's ({@code dev.crucible.logging.JsonServiceProvider}).
 */
record ExecutorConfig(
        String name,
        int slots,
        Queue queue,
        SandboxHost sandboxHost,
        Path runtimesDir,
        InetSocketAddress metricsListen,
        SubmissionOutput submissionOutput,
        MachineryRetries machineryRetries) {

    /**
     * How much of one submission's output, all its sandboxes together, goes where.
     *
     * @param storedBytes stdout and stderr kept in its result; past it, later output is counted as truncated bytes
     * @param liveBytes   output sent live to its event stream while it runs; 0 sends none
     */
    record SubmissionOutput(long storedBytes, long liveBytes) {}

    /** How often, and for how long, a job whose machinery failed is tried again. */
    record MachineryRetries(int attempts, Duration deadline) {}

    /**
     * The Redis jobs come from, how long a job may go unrenewed or be handed out, and how long a
     * stopping executor holds its jobs before it hands them back.
     */
    record Queue(Secret redisUri, String prefix, Duration reclaimAfter, int maxDeliveries, Duration drain) {}

    /** The Docker host the sandboxes run on, through its socket proxy, the sandbox runtime it has, and the pool kept there. */
    /** @param maxSessions sessions held at once, each a started sandbox of its own beside the slots' */
    record SandboxHost(URI dockerHost, Path cgroupRoot, String sandboxVersion, PoolSettings pool, int maxSessions) {}

    static ExecutorConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        return new ExecutorConfig(
                env.instanceName("CRUCIBLE_EXECUTOR_NAME", "executor-" + hostname()),
                env.smallInteger("CRUCIBLE_EXECUTOR_SLOTS", Math.min(64, Runtime.getRuntime().availableProcessors() + 1), 1, 64),
                new Queue(new Secret(env.required("CRUCIBLE_REDIS_URI", "redis://:password@127.0.0.1:6380")),
                        env.text("CRUCIBLE_QUEUE_PREFIX", "crucible"),
                        env.millis("CRUCIBLE_RECLAIM_AFTER_MS", 120_000, 20_000, Long.MAX_VALUE),
                        env.smallInteger("CRUCIBLE_MAX_DELIVERIES", 3, 1, Integer.MAX_VALUE),
                        env.millis("CRUCIBLE_DRAIN_MS", 60_000, 0, 3_600_000)),
                new SandboxHost(
                        env.uri("CRUCIBLE_DOCKER_HOST", "tcp://127.0.0.1:2375", "tcp", "tcp://host:port (the socket proxy)"),
                        env.path("CRUCIBLE_CGROUP_ROOT", "/sys/fs/cgroup"),
                        env.text("CRUCIBLE_SANDBOX_VERSION", "runsc"),
                        pool(env),
                        env.smallInteger("CRUCIBLE_MAX_SESSIONS", 4, 0, 256)),
                env.path("CRUCIBLE_RUNTIMES_DIR", "runtimes"),
                env.hostPort("CRUCIBLE_METRICS_LISTEN", "127.0.0.1:9102"),
                new SubmissionOutput(
                        env.integer("CRUCIBLE_MAX_SUBMISSION_OUTPUT_BYTES", JobRunner.SUBMISSION_OUTPUT_BYTES, 0, 64L << 20),
                        env.integer("CRUCIBLE_LIVE_OUTPUT_BYTES", 256 << 10, 0, 16L << 20)),
                new MachineryRetries(env.smallInteger("CRUCIBLE_MACHINERY_ATTEMPTS", 4, 1, 100),
                        env.millis("CRUCIBLE_MACHINERY_DEADLINE_MS", 300_000, 0, 86_400_000)));
    }

    private static PoolSettings pool(Environment env) {
        int perKey = env.smallInteger("CRUCIBLE_POOL_SIZE", 2, 0, 64);
        return new PoolSettings(perKey, env.smallInteger("CRUCIBLE_POOL_EXPECTED", 0, 0, perKey),
                env.smallInteger("CRUCIBLE_POOL_MAX_IDLE", 16, 0, 256),
                env.millis("CRUCIBLE_POOL_MAX_AGE_MS", 600_000, 10_000, 86_400_000),
                env.millis("CRUCIBLE_POOL_DEMAND_MS", 300_000, 1_000, 86_400_000));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
