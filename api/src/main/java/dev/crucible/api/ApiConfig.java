package dev.crucible.api;

import dev.crucible.config.Environment;
import dev.crucible.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the api reads from its environment, read once at start and validated here. This table
 * is the one list of the api's variables; docs/operations.md and the launcher point here. The
 * launcher passes every {@code CRUCIBLE_*} variable of its caller through, and sets the connection
 * ones itself.
 *
 * <table>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>CRUCIBLE_LISTEN</td><td>127.0.0.1:8080</td><td>address the HTTP server binds</td></tr>
 * <tr><td>CRUCIBLE_TRUSTED_PROXIES</td><td>127.0.0.1,::1</td><td>IP addresses whose {@code X-Forwarded-For} / {@code X-Real-IP} name the client (the audit log's address); any other peer is the client itself</td></tr>
 * <tr><td>CRUCIBLE_DATABASE_URL</td><td>(required)</td><td>JDBC URL of PostgreSQL</td></tr>
 * <tr><td>CRUCIBLE_DATABASE_USER / _PASSWORD</td><td>(required)</td><td>its credentials</td></tr>
 * <tr><td>CRUCIBLE_REDIS_URI</td><td>(required)</td><td>the queue's Redis</td></tr>
 * <tr><td>CRUCIBLE_QUEUE_PREFIX</td><td>crucible</td><td>prefix of every Redis key</td></tr>
 * <tr><td>CRUCIBLE_ADMIN_KEY</td><td>(required)</td><td>the first admin API key, at least 24 characters; only its SHA-256 is stored</td></tr>
 * <tr><td>CRUCIBLE_WEBHOOK_SEALING_KEY</td><td>(required)</td><td>64 hex digits (32 random bytes): the AES-256-GCM key the keys' webhook secrets are sealed with in the database, which never holds it ({@link dev.crucible.api.auth.WebhookSecretSeal}); the launcher makes one in .crucible/secrets/webhook-sealing-key. Changing it makes every stored secret unreadable</td></tr>
 * <tr><td>CRUCIBLE_RUNTIMES_DIR</td><td>runtimes</td><td>the runtime manifests</td></tr>
 * <tr><td>CRUCIBLE_RECLAIM_AFTER_MS</td><td>120000</td><td>the executors' setting of the same name; here: a session whose executor sent no heartbeat for this long ends as executor_lost</td></tr>
 * <tr><td>CRUCIBLE_REAP_AFTER_MS</td><td>600000</td><td>how long a submission may stay queued or running before the api looks for its job in Redis; one the queue lost is queued again, and ended as internal_error after 3 × this (60000..86400000)</td></tr>
 * <tr><td>CRUCIBLE_API_NAME</td><td>api-1</td><td>stable name of this instance: its consumer name in Redis</td></tr>
 * <tr><td>CRUCIBLE_MAX_WALL_TIME_MS</td><td>30000</td><td>largest wall-time limit a request may ask (smallest: 100)</td></tr>
 * <tr><td>CRUCIBLE_MAX_MEMORY_MB</td><td>1024</td><td>largest memory limit a request may ask (smallest: 32)</td></tr>
 * <tr><td>CRUCIBLE_OUTPUT_LIMIT_BYTES</td><td>65536</td><td>bytes kept of stdout and of stderr, each</td></tr>
 * <tr><td>CRUCIBLE_MAX_WAIT_MS</td><td>30000</td><td>longest {@code ?wait=true} blocks (the launcher also sets nginx's read timeout from it)</td></tr>
 * <tr><td>CRUCIBLE_MAX_QUEUED</td><td>1000</td><td>submissions queued at once, server-wide; past it submit answers 503</td></tr>
 * <tr><td>CRUCIBLE_RESPONSE_BUDGET_BYTES</td><td>16777216</td><td>what the large results being sent at once (each over 256 KiB as stored) may come to together, estimated from their stored size as text; sending one holds about three times that in heap (measured: forty reads at once of a 4 MiB result ran the api's 160 MB heap out at twice this budget, with each answer also copied whole before it was sent). Past it a GET waits up to 2 s, then answers 503 with Retry-After (1048576..1073741824)</td></tr>
 * <tr><td>CRUCIBLE_MAX_BATCH</td><td>50</td><td>submissions in one batch</td></tr>
 * <tr><td>CRUCIBLE_MAX_EVALUATION_SAMPLES</td><td>10000</td><td>samples in one evaluation (1..100000); each becomes a submission, made as its key's quotas allow</td></tr>
 * <tr><td>CRUCIBLE_WEBHOOK_ALLOW_HTTP</td><td>false</td><td>whether callback URLs may be plain http</td></tr>
 * <tr><td>CRUCIBLE_RETENTION_DAYS</td><td>30</td><td>days a final submission's content (source, input, outputs) is kept; a key may have its own</td></tr>
 * <tr><td>CRUCIBLE_AUDIT_RETENTION_DAYS</td><td>180</td><td>days an audit entry is kept</td></tr>
 * <tr><td>CRUCIBLE_LOG_DIR</td><td>(none)</td><td>a directory of logs whose size {@code /metrics} exports as
 *     {@code crucible_log_bytes} (the launcher sets its own); unset, there is no such gauge</td></tr>
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
        Http http,
        Database database,
        Queue queue,
        Keys keys,
        Path runtimesDir,
        Submissions submissions,
        Optional<Path> logDir,
        Evaluations evaluations) {

    /**
     * Where the api listens, and which peers' forwarding headers name the client.
     *
     * @param trustedProxies the proxies in front of it (the launcher's nginx is on loopback)
     */
    public record Http(InetSocketAddress listen, List<InetAddress> trustedProxies) {
        public Http {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }


    /** The PostgreSQL the api stores everything in, and how long it keeps what. */
    public record Database(String url, String user, Secret password, Retention retention) {}

    /**
     * How long content is kept before the purge erases it.
     *
     * @param content from a submission's end until its source, input and outputs are erased, unless its key says otherwise
     * @param audit   from an audit entry's writing until it is deleted
     */
    public record Retention(Duration content, Duration audit) {}

    /**
     * The Redis the api hands jobs over by, and the name it reads their events under.
     *
     * @param reapAfter how long a submission stays unfinished before the api looks whether the queue
     *                  still has its job; one it lost is queued again, and ended after three times this
     * @param executorLostAfter how long an executor may stay without a heartbeat before its sessions end as lost
     */
    public record Queue(Secret redisUri, String prefix, String instanceName, Duration reapAfter, Duration executorLostAfter) {}

    /**
     * @param adminKey              the bootstrap admin key
     * @param pistonAnonymousKeyId  the key of Piston-compatible requests that send no credentials; empty: they are a 401
     */
    public record Keys(Secret adminKey, Optional<UUID> pistonAnonymousKeyId, Secret webhookSealingKey) {}

    /** What a submission may ask for, what submissions may put on the server, and where their callbacks may go. */
    public record Submissions(RunLimits limits, Admission admission, Webhooks webhooks) {}

    /** The largest limits a submission may ask for, and how much of its output is kept. */
    public record RunLimits(long maxWallTimeMs, long maxMemoryMb, long outputLimitBytes) {
        public static final long MIN_WALL_TIME_MS = 100;
        public static final long MIN_MEMORY_MB = 32;
    }

    /**
     * How much one request may put on the server, or hold it for.
     *
     * @param responseBudgetBytes what the large answers in flight may be estimated at together ({@link dev.crucible.api.http.ResponseBudget})
     */
    public record Admission(long maxQueued, int maxBatch, Duration maxWait, long responseBudgetBytes) {}

    /** Where callbacks may go. */
    public record Webhooks(boolean allowHttp) {}

    /** How large an evaluation may be. */
    public record Evaluations(int maxSamples) {}

    public static ApiConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        return new ApiConfig(
                new Http(env.hostPort("CRUCIBLE_LISTEN", "127.0.0.1:8080"), env.addresses("CRUCIBLE_TRUSTED_PROXIES", "127.0.0.1,::1")),
                new Database(env.required("CRUCIBLE_DATABASE_URL"), env.required("CRUCIBLE_DATABASE_USER"),
                        new Secret(env.required("CRUCIBLE_DATABASE_PASSWORD")),
                        new Retention(Duration.ofDays(env.integer("CRUCIBLE_RETENTION_DAYS", 30, 1, 36_500)),
                                Duration.ofDays(env.integer("CRUCIBLE_AUDIT_RETENTION_DAYS", 180, 1, 36_500)))),
                new Queue(new Secret(env.required("CRUCIBLE_REDIS_URI")), env.text("CRUCIBLE_QUEUE_PREFIX", "crucible"),
                        env.instanceName("CRUCIBLE_API_NAME", "api-1"), env.millis("CRUCIBLE_REAP_AFTER_MS", 600_000, 60_000, 86_400_000),
                        env.millis("CRUCIBLE_RECLAIM_AFTER_MS", 120_000, 20_000, Long.MAX_VALUE)),
                new Keys(env.secret("CRUCIBLE_ADMIN_KEY", 24), env.uuid("CRUCIBLE_PISTON_ANONYMOUS_KEY_ID", "a key's id, as GET /v1/keys lists it"),
                        env.hexSecret("CRUCIBLE_WEBHOOK_SEALING_KEY", 32)),
                env.path("CRUCIBLE_RUNTIMES_DIR", "runtimes"),
                new Submissions(
                        new RunLimits(
                                env.integer("CRUCIBLE_MAX_WALL_TIME_MS", 30_000, RunLimits.MIN_WALL_TIME_MS, 600_000),
                                env.integer("CRUCIBLE_MAX_MEMORY_MB", 1024, RunLimits.MIN_MEMORY_MB, 16_384),
                                env.integer("CRUCIBLE_OUTPUT_LIMIT_BYTES", 65_536, 1024, 16 << 20)),
                        new Admission(
                                env.integer("CRUCIBLE_MAX_QUEUED", 1000, 1, 1_000_000),
                                env.smallInteger("CRUCIBLE_MAX_BATCH", 50, 1, 1000),
                                env.millis("CRUCIBLE_MAX_WAIT_MS", 30_000, 0, 300_000),
                                env.integer("CRUCIBLE_RESPONSE_BUDGET_BYTES", 16 << 20, 1 << 20, 1L << 30)),
                        new Webhooks(env.flag("CRUCIBLE_WEBHOOK_ALLOW_HTTP", false))),
                env.path("CRUCIBLE_LOG_DIR"),
                new Evaluations(env.smallInteger("CRUCIBLE_MAX_EVALUATION_SAMPLES", 10_000, 1, 100_000)));
    }
}
