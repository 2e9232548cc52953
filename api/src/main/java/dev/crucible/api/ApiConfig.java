package dev.crucible.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the api reads from its environment, read once at start and validated here.
 *
 * <table>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>CRUCIBLE_LISTEN</td><td>127.0.0.1:8080</td><td>address the HTTP server binds</td></tr>
 * <tr><td>CRUCIBLE_DATABASE_URL</td><td>(required)</td><td>JDBC URL of PostgreSQL</td></tr>
 * <tr><td>CRUCIBLE_DATABASE_USER / _PASSWORD</td><td>(required)</td><td>its credentials</td></tr>
 * <tr><td>CRUCIBLE_REDIS_URI</td><td>(required)</td><td>the queue's Redis</td></tr>
 * <tr><td>CRUCIBLE_QUEUE_PREFIX</td><td>crucible</td><td>prefix of every Redis key</td></tr>
 * <tr><td>CRUCIBLE_ADMIN_KEY</td><td>(required)</td><td>the first admin API key; only its SHA-256 is stored</td></tr>
 * <tr><td>CRUCIBLE_RUNTIMES_DIR</td><td>runtimes</td><td>the runtime manifests</td></tr>
 * <tr><td>CRUCIBLE_API_NAME</td><td>api-1</td><td>stable name of this instance: its consumer name in Redis</td></tr>
 * <tr><td>CRUCIBLE_MAX_WALL_TIME_MS</td><td>30000</td><td>largest wall-time limit a request may ask (smallest: 100)</td></tr>
 * <tr><td>CRUCIBLE_MAX_MEMORY_MB</td><td>1024</td><td>largest memory limit a request may ask (smallest: 32)</td></tr>
 * <tr><td>CRUCIBLE_OUTPUT_LIMIT_BYTES</td><td>65536</td><td>bytes kept of stdout and of stderr, each</td></tr>
 * <tr><td>CRUCIBLE_MAX_WAIT_MS</td><td>30000</td><td>longest {@code ?wait=true} blocks</td></tr>
 * <tr><td>CRUCIBLE_MAX_QUEUED</td><td>1000</td><td>submissions queued at once, server-wide; past it submit answers 503</td></tr>
 * <tr><td>CRUCIBLE_MAX_BATCH</td><td>50</td><td>submissions in one batch</td></tr>
 * <tr><td>CRUCIBLE_WEBHOOK_ALLOW_HTTP</td><td>false</td><td>whether callback URLs may be plain http</td></tr>
 * </table>
 *
 * <p>Request sizes are fixed in {@link dev.crucible.api.submission.RequestLimits}.
 */
public record ApiConfig(
        InetSocketAddress listen,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String redisUri,
        String queuePrefix,
        String adminKey,
        Path runtimesDir,
        String instanceName,
        long maxWallTimeMs,
        long maxMemoryMb,
        long outputLimitBytes,
        Duration maxWait,
        long maxQueued,
        int maxBatch,
        boolean webhookAllowHttp) {

    public static final long MIN_WALL_TIME_MS = 100;
    public static final long MIN_MEMORY_MB = 32;

    @Override
    public String toString() {
        return "ApiConfig[listen=" + listen + ", databaseUrl=" + databaseUrl + ", queuePrefix=" + queuePrefix
                + ", runtimesDir=" + runtimesDir + ", instanceName=" + instanceName + ", maxWallTimeMs=" + maxWallTimeMs
                + ", maxMemoryMb=" + maxMemoryMb + ", outputLimitBytes=" + outputLimitBytes + ", maxWait=" + maxWait + ", maxQueued=" + maxQueued
                + ", maxBatch=" + maxBatch + ", webhookAllowHttp=" + webhookAllowHttp + "]";
    }

    public static ApiConfig fromEnvironment(Map<String, String> env) {
        String listen = env.getOrDefault("CRUCIBLE_LISTEN", "127.0.0.1:8080");
        int colon = listen.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("CRUCIBLE_LISTEN must be host:port, was " + listen);
        }
        String adminKey = required(env, "CRUCIBLE_ADMIN_KEY");
        if (adminKey.length() < 24) {
            throw new IllegalArgumentException("CRUCIBLE_ADMIN_KEY must be at least 24 characters");
        }
        long maxWall = bounded(env, "CRUCIBLE_MAX_WALL_TIME_MS", 30_000, MIN_WALL_TIME_MS, 600_000);
        long maxMemory = bounded(env, "CRUCIBLE_MAX_MEMORY_MB", 1024, MIN_MEMORY_MB, 16_384);
        long output = bounded(env, "CRUCIBLE_OUTPUT_LIMIT_BYTES", 65_536, 1024, 16 << 20);
        long maxWait = bounded(env, "CRUCIBLE_MAX_WAIT_MS", 30_000, 0, 300_000);
        long maxQueued = bounded(env, "CRUCIBLE_MAX_QUEUED", 1000, 1, 1_000_000);
        int maxBatch = (int) bounded(env, "CRUCIBLE_MAX_BATCH", 50, 1, 1000);
        String allowHttp = env.getOrDefault("CRUCIBLE_WEBHOOK_ALLOW_HTTP", "false");
        if (!allowHttp.equals("true") && !allowHttp.equals("false")) {
            throw new IllegalArgumentException("CRUCIBLE_WEBHOOK_ALLOW_HTTP must be true or false, was '" + allowHttp + "'");
        }
        String name = env.getOrDefault("CRUCIBLE_API_NAME", "api-1");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("CRUCIBLE_API_NAME must be letters, digits, '_', '.', '-', was '" + name + "'");
        }
        return new ApiConfig(
                new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
                required(env, "CRUCIBLE_DATABASE_URL"),
                required(env, "CRUCIBLE_DATABASE_USER"),
                required(env, "CRUCIBLE_DATABASE_PASSWORD"),
                required(env, "CRUCIBLE_REDIS_URI"),
                env.getOrDefault("CRUCIBLE_QUEUE_PREFIX", "crucible"),
                adminKey,
                Path.of(env.getOrDefault("CRUCIBLE_RUNTIMES_DIR", "runtimes")),
                name,
                maxWall,
                maxMemory,
                output,
                Duration.ofMillis(maxWait),
                maxQueued,
                maxBatch,
                allowHttp.equals("true"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static long bounded(Map<String, String> env, String name, long fallback, long min, long max) {
        String raw = env.get(name);
        long value;
        try {
            value = raw == null ? fallback : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }
}
