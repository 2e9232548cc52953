package dev.crucible.api.admission;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Whether a key may add submissions now: within its quotas (per minute, queued or running at once,
 * and sandbox time per submission, per minute and per hour) and within the server's queue cap. An
 * open session counts as active, and the part of its life within a window counts there as sandbox
 * time, as a submission's worst case does. It
 * answers with a {@link Decision}; the HTTP edge turns a refusal into its error. Each refusal is
 * counted on {@code crucible_admission_refusals_total} by reason.
 */
public final class Admission {
    private static final Duration ACTIVE_RETRY = Duration.ofSeconds(2);
    /** The longest a session may live (SessionsResource's limit): older ones cannot reach into a window. */
    private static final int MAX_SESSION_LIFETIME_S = 86_400;
    private static final Duration QUEUE_RETRY = Duration.ofSeconds(5);

    private final long maxQueued;
    private final MeterRegistry meters;

    /** @param maxQueued submissions queued at once, server-wide */
    public Admission(long maxQueued, MeterRegistry meters) {
        this.maxQueued = maxQueued;
        this.meters = meters;
    }

    /** The answer to {@code count} new submissions of one key. */
    public sealed interface Decision {}

    public record Admitted() implements Decision {}

    /** More at once than the key may ever have: no retry helps. */
    public record BeyondQuota(int count, long most) implements Decision {}

    /**
     * The submission at {@code index} (of those checked together) may use {@code sandboxMs} of sandbox
     * time, more than the key allows one submission or than fits in its per-minute or per-hour budget
     * ({@code most}, the smallest of them): no retry helps.
     */
    public record OverSubmissionSandbox(int index, long sandboxMs, long most) implements Decision {}

    /** The key's submissions of the last minute, with these, would be more than {@code perMinute}. */
    public record OverRate(long perMinute, Duration retryAfter) implements Decision {}

    /**
     * The worst-case sandbox time of the key's submissions created in the last {@code window}, with
     * these, would be more than {@code budgetMs}; {@code retryAfter} is when enough of it has left the window.
     */
    public record OverSandboxBudget(Window window, long budgetMs, Duration retryAfter) implements Decision {}

    /** The key's queued and running submissions and open sessions, with these, would be more than {@code maxActive}. */
    public record OverActive(long maxActive, Duration retryAfter) implements Decision {}

    /** The server's queue, holding {@code queued} now, cannot take these. */
    public record QueueFull(long queued, Duration retryAfter) implements Decision {}

    /** The windows over which a key's sandbox time is budgeted. */
    public enum Window {
        MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1));

        private final Duration length;

        Window(Duration length) {
            this.length = length;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A key's quotas as stored on its row. */
    record Quota(long perMinute, long maxActive, long submissionSandboxMs, long sandboxMsPerMinute, long sandboxMsPerHour) {
        long budget(Window window) {
            return switch (window) {
                case MINUTE -> sandboxMsPerMinute;
                case HOUR -> sandboxMsPerHour;
            };
        }
    }

    /**
     * Checks new submissions of {@code keyId}, each given by its worst-case sandbox time, in the
     * caller's transaction, whose inserts must follow in it. The key's row stays locked until that
     * transaction ends, so concurrent submissions of one key cannot slip past a quota together.
     */
    public Decision check(Handle h, UUID keyId, List<Long> sandboxMs) {
        Decision decision = decide(h, keyId, sandboxMs);
        if (!(decision instanceof Admitted)) {
            meters.counter("crucible_admission_refusals", "reason", reason(decision)).increment();
        }
        return decision;
    }

    private Decision decide(Handle h, UUID keyId, List<Long> sandboxMs) {
        Quota quota = h.createQuery("""
                select rate_per_minute, max_active, max_submission_sandbox_ms, sandbox_ms_per_minute, sandbox_ms_per_hour
                from api_keys where id = :key for update""")
                .bind("key", keyId)
                .map((rs, ctx) -> new Quota(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))).one();
        int count = sandboxMs.size();
        if (count > quota.perMinute() || count > quota.maxActive()) {
            return new BeyondQuota(count, Math.min(quota.perMinute(), quota.maxActive()));
        }
        Decision perSubmission = perSubmission(quota, sandboxMs);
        if (!(perSubmission instanceof Admitted)) {
            return perSubmission;
        }
        // A session's start counts as a submission does: it takes a sandbox.
        var recent = h.createQuery("""
                select count(*), coalesce(extract(epoch from (min(created_at) + interval '1 minute' - now())), 0)
                from (select created_at from submissions where api_key_id = :key and created_at > now() - interval '1 minute'
                      union all
                      select created_at from sessions where api_key_id = :key and created_at > now() - interval '1 minute') recent""")
                .bind("key", keyId)
                .map((rs, ctx) -> new double[] {rs.getLong(1), rs.getDouble(2)}).one();
        if (recent[0] + count > quota.perMinute()) {
            return new OverRate(quota.perMinute(), Duration.ofMillis((long) Math.max(1000, recent[1] * 1000)));
        }
        long adding = sandboxMs.stream().mapToLong(Long::longValue).sum();
        for (Window window : Window.values()) {
            Decision budget = withinBudget(window, quota.budget(window), adding, used(h, keyId, window, quota.budget(window), adding));
            if (!(budget instanceof Admitted)) {
                return budget;
            }
        }
        long active = h.createQuery("""
                select (select count(*) from submissions where api_key_id = :key and status in ('queued', 'running'))
                     + (select count(*) from sessions where api_key_id = :key and status <> 'ended')""")
                .bind("key", keyId).mapTo(Long.class).one();
        if (active + count > quota.maxActive()) {
            return new OverActive(quota.maxActive(), ACTIVE_RETRY);
        }
        long queued = h.createQuery("select count(*) from submissions where status = 'queued'").mapTo(Long.class).one();
        if (queued + count > maxQueued) {
            return new QueueFull(queued, QUEUE_RETRY);
        }
        return new Admitted();
    }

    /** The first submission larger than any one the key may ever have admitted; else admitted. */
    static Decision perSubmission(Quota quota, List<Long> sandboxMs) {
        long most = Math.min(quota.submissionSandboxMs(), Math.min(quota.sandboxMsPerMinute(), quota.sandboxMsPerHour()));
        for (int i = 0; i < sandboxMs.size(); i++) {
            if (sandboxMs.get(i) > most) {
                return new OverSubmissionSandbox(i, sandboxMs.get(i), most);
            }
        }
        return new Admitted();
    }

    /**
     * The key's worst-case sandbox time in a window and when it leaves room for more.
     *
     * @param usedMs     the worst-case sandbox time of the key's submissions created in the window
     * @param untilFits  until enough of it has left the window to add what is asked; null when that
     *                   never happens (more asked at once than the budget), so that a retry is the window away
     */
    record WindowUse(long usedMs, Duration untilFits) {}

    /** Admitted when {@code addingMs} more fits in the window's budget; else over it, retried when it would fit. */
    static Decision withinBudget(Window window, long budgetMs, long addingMs, WindowUse use) {
        if (use.usedMs() + addingMs <= budgetMs) {
            return new Admitted();
        }
        return new OverSandboxBudget(window, budgetMs, use.untilFits() == null ? window.length : use.untilFits());
    }

    /**
     * Sums the window's worst-case sandbox time, oldest first, to find how long until the oldest
     * submissions that free enough of it leave the window: the first whose running sum reaches the excess.
     * A session counts the part of its life within the window; an ended one leaves it a window after
     * its end, an open one not before a window from now (it goes on using time).
     */
    private static WindowUse used(Handle h, UUID keyId, Window window, long budgetMs, long addingMs) {
        String interval = "interval '1 " + window.word() + "'";
        return h.createQuery("""
                with used_by as (
                    select created_at, id, coalesce(sandbox_ms, 0) as ms from submissions
                    where api_key_id = :key and created_at > now() - %1$s
                    union all
                    -- ended_at is the executor's clock: never past now, never before the start.
                    select case when ended_at is null then now() else least(ended_at, now()) end, id,
                           greatest(0, (extract(epoch from (least(coalesce(ended_at, now()), now())
                                                            - greatest(created_at, now() - %1$s))) * 1000)::bigint)
                    from sessions where api_key_id = :key and coalesce(ended_at, now()) > now() - %1$s
                      and created_at > now() - %1$s - :longestSession * interval '1 second'),
                w as (select created_at, sum(ms) over (order by created_at, id) as freed from used_by),
                total as (select coalesce(max(freed), 0) as used from w)
                select used, (select extract(epoch from min(created_at) + %1$s - now()) from w
                              where freed >= used + :adding - :budget) as wait
                from total""".formatted(interval))
                .bind("key", keyId).bind("adding", addingMs).bind("budget", budgetMs).bind("longestSession", MAX_SESSION_LIFETIME_S)
                .map((rs, ctx) -> {
                    double wait = rs.getDouble(2);
                    return new WindowUse(rs.getLong(1), rs.wasNull() ? null : Duration.ofMillis((long) Math.ceil(wait * 1000)));
                }).one();
    }

    private static String reason(Decision refusal) {
        return switch (refusal) {
            case Admitted _ -> "admitted";
            case BeyondQuota _ -> "beyond_quota";
            case OverSubmissionSandbox _ -> "submission_sandbox";
            case OverRate _ -> "rate";
            case OverSandboxBudget(Window window, long _, Duration _) -> "sandbox_per_" + window.word();
            case OverActive _ -> "active";
            case QueueFull _ -> "queue_full";
        };
    }
}
