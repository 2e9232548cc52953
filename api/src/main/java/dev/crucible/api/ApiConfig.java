package dev.crucible.api;

import dev.crucible.config.Environment;
import dev.crucible.config.Secret;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the api reads from its environment, read once at start and validated here. This table
 * is the one list of the api's variables; README.md and the launcher point here. The launcher passes
 * every {@code CRUCIBLE_*} variable of its caller through, and sets the connection ones itself.
 *
 * <table>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>CRUCIBLE_LISTEN</td><td>127.0.0.1:8080</td><td>address the HTTP server binds</td></tr>
 * <tr><td>CRUCIBLE_DATABASE_URL</td><td>(required)</td><td>JDBC URL of PostgreSQL</td></tr>
 * <tr><td>CRUCIBLE_DATABASE_USER / _PASSWORD</td><td>(required)</td><td>its credentials</td></tr>
 * <tr><td>CRUCIBLE_REDIS_URI</td><td>(required)</td><td>the queue's Redis</td></tr>
 * <tr><td>CRUCIBLE_QUEUE_PREFIX</td><td>crucible</td><td>prefix of every Redis key</td></tr>
 * <tr><td>CRUCIBLE_ADMIN_KEY</td><td>(required)</td><td>the first admin API key, at least 24 characters; only its SHA-256 is stored</td></tr>
 * <tr><td>CRUCIBLE_RUNTIMES_DIR</td><td>runtimes</td><td>the runtime manifests</td></tr>
 * <tr><td>CRUCIBLE_API_NAME</td><td>api-1</td><td>stable name of this instance: its consumer name in Redis</td></tr>
 * <tr><td>CRUCIBLE_MAX_WALL_TIME_MS</td><td>30000</td><td>largest wall-time limit a request may ask (smallest: 100)</td></tr>
 * <tr><td>CRUCIBLE_MAX_MEMORY_MB</td><td>1024</td><td>largest memory limit a request may ask (smallest: 32)</td></tr>
 * <tr><td>CRUCIBLE_OUTPUT_LIMIT_BYTES</td><td>65536</td><td>bytes kept of stdout and of stderr, each</td></tr>
 * <tr><td>CRUCIBLE_MAX_WAIT_MS</td><td>30000</td><td>longest {@code ?wait=true} blocks (the launcher also sets nginx's read timeout from it)</td></tr>
 * <tr><td>CRUCIBLE_MAX_QUEUED</td><td>1000</td><td>submissions queued at once, server-wide; past it submit answers 503</td></tr>
 * <tr><td>CRUCIBLE_MAX_BATCH</td><td>50</td><td>submissions in one batch</td></tr>
 * <tr><td>CRUCIBLE_WEBHOOK_ALLOW_HTTP</td><td>false</td><td>whether callback URLs may be plain http</td></tr>
 * <tr><td>CRUCIBLE_PISTON_ANONYMOUS_KEY_ID</td><td>(none)</td><td>id of the key that requests to {@code /api/v2/} without
 *     credentials are made with (Piston clients send none); unset, they are a 401. Anyone who reaches the server then
 *     spends that key's quotas: make it a submitter key of its own with small ones</td></tr>
 * </table>
 *
 * <p>{@code CRUCIBLE_LOG_LEVEL} is the logging module's ({@code dev.crucible.logging.JsonServiceProvider}).
 * Request sizes are fixed in {@link dev.crucible.api.submission.RequestLimits}. Secrets are {@link Secret}s, so printing
 * this record shows everything but them.
 */
public record ApiConfig(
        InetSocketAddress listen,
        Database database,
        Queue queue,
        Keys keys,
        Path runtimesDir,
        RunLimits limits,
        Admission admission,
        Webhooks webhooks) {

    /** The PostgreSQL the api stores everything in. */
    public record Database(String url, String user, Secret password) {}

    /** The Redis the api hands jobs over by, and the name it reads their events under. */
    public record Queue(Secret redisUri, String prefix, String instanceName) {}

    /**
     * @param adminKey              the bootstrap admin key
     * @param pistonAnonymousKeyId  the key of Piston-compatible requests that send no credentials; empty: they are a 401
     */
    public record Keys(Secret adminKey, Optional<UUID> pistonAnonymousKeyId) {}

    /** The largest limits a submission may ask for, and how much of its output is kept. */
    public record RunLimits(long maxWallTimeMs, long maxMemoryMb, long outputLimitBytes) {
        public static final long MIN_WALL_TIME_MS = 100;
        public static final long MIN_MEMORY_MB = 32;
    }

    /** How much one request may put on the server, or hold it for. */
    public record Admission(long maxQueued, int maxBatch, Duration maxWait) {}

    /** Where callbacks may go. */
    public record Webhooks(boolean allowHttp) {}

    public static ApiConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        return new ApiConfig(
                env.hostPort("CRUCIBLE_LISTEN", "127.0.0.1:8080"),
                new Database(env.required("CRUCIBLE_DATABASE_URL"), env.required("CRUCIBLE_DATABASE_USER"),
                        new Secret(env.required("CRUCIBLE_DATABASE_PASSWORD"))),
                new Queue(new Secret(env.required("CRUCIBLE_REDIS_URI")), env.text("CRUCIBLE_QUEUE_PREFIX", "crucible"),
                        env.instanceName("CRUCIBLE_API_NAME", "api-1")),
                new Keys(env.secret("CRUCIBLE_ADMIN_KEY", 24), env.uuid("CRUCIBLE_PISTON_ANONYMOUS_KEY_ID", "a key's id, as GET /v1/keys lists it")),
                env.path("CRUCIBLE_RUNTIMES_DIR", "runtimes"),
                new RunLimits(
                        env.integer("CRUCIBLE_MAX_WALL_TIME_MS", 30_000, RunLimits.MIN_WALL_TIME_MS, 600_000),
                        env.integer("CRUCIBLE_MAX_MEMORY_MB", 1024, RunLimits.MIN_MEMORY_MB, 16_384),
                        env.integer("CRUCIBLE_OUTPUT_LIMIT_BYTES", 65_536, 1024, 16 << 20)),
                new Admission(
                        env.integer("CRUCIBLE_MAX_QUEUED", 1000, 1, 1_000_000),
                        env.smallInteger("CRUCIBLE_MAX_BATCH", 50, 1, 1000),
                        env.millis("CRUCIBLE_MAX_WAIT_MS", 30_000, 0, 300_000)),
                new Webhooks(env.flag("CRUCIBLE_WEBHOOK_ALLOW_HTTP", false)));
    }
}
