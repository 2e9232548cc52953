package dev.crucible.executor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the executor reads from its environment, read once at start and validated here.
 *
 * <table>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>CRUCIBLE_REDIS_URI</td><td>(required)</td><td>the queue's Redis, {@code redis://:password@host:port}</td></tr>
 * <tr><td>CRUCIBLE_QUEUE_PREFIX</td><td>crucible</td><td>prefix of every Redis key</td></tr>
 * <tr><td>CRUCIBLE_DOCKER_HOST</td><td>tcp://127.0.0.1:2375</td><td>the Docker socket proxy; never the socket itself</td></tr>
 * <tr><td>CRUCIBLE_RUNTIMES_DIR</td><td>runtimes</td><td>the runtime manifests</td></tr>
 * <tr><td>CRUCIBLE_EXECUTOR_NAME</td><td>executor-&lt;hostname&gt;</td><td>stable name: consumer name in Redis and sandbox label</td></tr>
 * <tr><td>CRUCIBLE_EXECUTOR_SLOTS</td><td>2</td><td>sandboxes run at once</td></tr>
 * <tr><td>CRUCIBLE_METRICS_LISTEN</td><td>127.0.0.1:9102</td><td>where {@code GET /metrics} (Prometheus text) answers</td></tr>
 * <tr><td>CRUCIBLE_MAX_DELIVERIES</td><td>3</td><td>a job handed out more often (its executors kept dying on it) ends as internal_error</td></tr>
 * <tr><td>CRUCIBLE_SANDBOX_VERSION</td><td>runsc</td><td>the sandbox runtime and its version, reported in results (the launcher passes {@code runsc --version})</td></tr>
 * <tr><td>CRUCIBLE_CGROUP_ROOT</td><td>/sys/fs/cgroup</td><td>where the host mounts its cgroups (v1 or v2): each sandbox's CPU time and peak memory are read there, so the executor must run on the host of the Docker daemon, with read access</td></tr>
 * <tr><td>CRUCIBLE_RECLAIM_AFTER_MS</td><td>120000</td><td>a job whose executor stopped renewing its claim this long ago is run again elsewhere (a running job's claim is renewed every quarter of it)</td></tr>
 * </table>
 */
record ExecutorConfig(
        String redisUri,
        String queuePrefix,
        URI dockerHost,
        Path runtimesDir,
        String name,
        int slots,
        Duration reclaimAfter,
        int maxDeliveries,
        String sandboxVersion,
        Path cgroupRoot,
        InetSocketAddress metricsListen) {

    static ExecutorConfig fromEnvironment(Map<String, String> env) {
        String redisUri = env.get("CRUCIBLE_REDIS_URI");
        if (redisUri == null || redisUri.isBlank()) {
            throw new IllegalArgumentException("CRUCIBLE_REDIS_URI is required, e.g. redis://:password@127.0.0.1:6380");
        }
        URI docker = URI.create(env.getOrDefault("CRUCIBLE_DOCKER_HOST", "tcp://127.0.0.1:2375"));
        if (!"tcp".equals(docker.getScheme())) {
            throw new IllegalArgumentException("CRUCIBLE_DOCKER_HOST must be tcp://host:port (the socket proxy), was " + docker);
        }
        int slots = Integer.parseInt(env.getOrDefault("CRUCIBLE_EXECUTOR_SLOTS", "2"));
        if (slots < 1 || slots > 64) {
            throw new IllegalArgumentException("CRUCIBLE_EXECUTOR_SLOTS must be 1..64, was " + slots);
        }
        Duration reclaim = Duration.ofMillis(Long.parseLong(env.getOrDefault("CRUCIBLE_RECLAIM_AFTER_MS", "120000")));
        if (reclaim.compareTo(Duration.ofSeconds(20)) < 0) {
            throw new IllegalArgumentException("CRUCIBLE_RECLAIM_AFTER_MS must be at least 20000, was " + reclaim.toMillis());
        }
        String name = env.getOrDefault("CRUCIBLE_EXECUTOR_NAME", "executor-" + hostname());
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("CRUCIBLE_EXECUTOR_NAME must be letters, digits, '_', '.', '-', was '" + name + "'");
        }
        return new ExecutorConfig(redisUri, env.getOrDefault("CRUCIBLE_QUEUE_PREFIX", "crucible"), docker,
                Path.of(env.getOrDefault("CRUCIBLE_RUNTIMES_DIR", "runtimes")), name, slots, reclaim,
                Integer.parseInt(env.getOrDefault("CRUCIBLE_MAX_DELIVERIES", "3")),
                env.getOrDefault("CRUCIBLE_SANDBOX_VERSION", "runsc"),
                Path.of(env.getOrDefault("CRUCIBLE_CGROUP_ROOT", "/sys/fs/cgroup")),
                address(env.getOrDefault("CRUCIBLE_METRICS_LISTEN", "127.0.0.1:9102")));
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("CRUCIBLE_METRICS_LISTEN must be host:port, was " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
