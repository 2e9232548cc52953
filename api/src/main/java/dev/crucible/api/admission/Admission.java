package dev.crucible.api.admission;

import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Whether a key may add submissions now: within its quotas (per minute, and queued or running at
 * once) and within the server's queue cap. It answers with a {@link Decision}; the HTTP edge turns
 * a refusal into its error.
 */
public final class Admission {
    private static final Duration ACTIVE_RETRY = Duration.ofSeconds(2);
    private static final Duration QUEUE_RETRY = Duration.ofSeconds(5);

    private final long maxQueued;

    /** @param maxQueued submissions queued at once, server-wide */
    public Admission(long maxQueued) {
        this.maxQueued = maxQueued;
    }

    /** The answer to {@code count} new submissions of one key. */
    public sealed interface Decision {}

    public record Admitted() implements Decision {}

    /** More at once than the key may ever have: no retry helps. */
    public record BeyondQuota(int count, long most) implements Decision {}

    /** The key's submissions of the last minute, with these, would be more than {@code perMinute}. */
    public record OverRate(long perMinute, Duration retryAfter) implements Decision {}

    /** The key's queued and running submissions, with these, would be more than {@code maxActive}. */
    public record OverActive(long maxActive, Duration retryAfter) implements Decision {}

    /** The server's queue, holding {@code queued} now, cannot take these. */
    public record QueueFull(long queued, Duration retryAfter) implements Decision {}

    /**
     * Checks {@code count} new submissions of {@code keyId} in the caller's transaction, whose inserts
     * must follow in it. The key's row stays locked until that transaction ends, so concurrent
     * submissions of one key cannot slip past a quota together.
     */
    public Decision check(Handle h, UUID keyId, int count) {
        var quota = h.createQuery("select rate_per_minute, max_active from api_keys where id = :key for update")
                .bind("key", keyId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
        if (count > quota[0] || count > quota[1]) {
            return new BeyondQuota(count, Math.min(quota[0], quota[1]));
        }
        var recent = h.createQuery("""
                select count(*), coalesce(extract(epoch from (min(created_at) + interval '1 minute' - now())), 0)
                from submissions where api_key_id = :key and created_at > now() - interval '1 minute'""")
                .bind("key", keyId)
                .map((rs, ctx) -> new double[] {rs.getLong(1), rs.getDouble(2)}).one();
        if (recent[0] + count > quota[0]) {
            return new OverRate(quota[0], Duration.ofMillis((long) Math.max(1000, recent[1] * 1000)));
        }
        long active = h.createQuery("select count(*) from submissions where api_key_id = :key and status in ('queued', 'running')")
                .bind("key", keyId).mapTo(Long.class).one();
        if (active + count > quota[1]) {
            return new OverActive(quota[1], ACTIVE_RETRY);
        }
        long queued = h.createQuery("select count(*) from submissions where status = 'queued'").mapTo(Long.class).one();
        if (queued + count > maxQueued) {
            return new QueueFull(queued, QUEUE_RETRY);
        }
        return new Admitted();
    }
}
