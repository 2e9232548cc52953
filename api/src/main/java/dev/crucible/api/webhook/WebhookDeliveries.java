package dev.crucible.api.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook deliveries in PostgreSQL: one row per completed submission that asked for a callback,
 * scheduled when its outcome is stored, then marked delivered, retried later, or given up.
 */
public final class WebhookDeliveries {
    private final Jdbi jdbi;

    public WebhookDeliveries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A webhook to send now. */
    record DueWebhook(UUID submissionId, UUID apiKeyId, String url, CallbackFormat format, int attempts) {}

    /** Webhooks due now, oldest first, at most {@code perKey} of one key: a key with a backlog does not crowd out the others. */
    List<DueWebhook> due(int limit, int perKey) {
        return jdbi.withHandle(h -> h.createQuery("""
                select submission_id, api_key_id, url, callback_format, attempts from (
                    select w.submission_id, s.api_key_id, w.url, s.callback_format, w.attempts, w.next_attempt_at,
                           row_number() over (partition by s.api_key_id order by w.next_attempt_at) as nth
                    from webhook_deliveries w join submissions s on s.id = w.submission_id
                    where w.delivered_at is null and w.failed_at is null and w.next_attempt_at <= now()) due
                where nth <= :per_key
                order by next_attempt_at limit :limit""")
                .bind("limit", limit).bind("per_key", perKey)
                .map((rs, ctx) -> new DueWebhook(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        CallbackFormat.ofWireName(rs.getString(4)), rs.getInt(5)))
                .list());
    }

    void delivered(UUID submissionId) {
        jdbi.useHandle(h -> h.createUpdate("""
                update webhook_deliveries set delivered_at = now(), attempts = attempts + 1, last_error = null
                where submission_id = :id""").bind("id", submissionId).execute());
    }

    /** Moves the webhook to {@code until} without counting an attempt: its host's breaker is open. */
    void postponed(UUID submissionId, Instant until, String reason) {
        jdbi.useHandle(h -> h.createUpdate("""
                update webhook_deliveries set next_attempt_at = :until, last_error = :reason where submission_id = :id""")
                .bind("id", submissionId).bind("until", until).bind("reason", reason).execute());
    }

    /** Records a failed attempt: retried after {@code retryAfter}, or given up when that is null. */
    void failed(UUID submissionId, String error, Duration retryAfter) {
        jdbi.useHandle(h -> h.createUpdate("""
                update webhook_deliveries set attempts = attempts + 1, last_error = :error,
                    next_attempt_at = case when :give_up then next_attempt_at else now() + make_interval(secs => :wait) end,
                    failed_at = case when :give_up then now() end
                where submission_id = :id""")
                .bind("id", submissionId).bind("error", error).bind("give_up", retryAfter == null)
                .bind("wait", retryAfter == null ? 0.0 : retryAfter.toMillis() / 1000.0).execute());
    }
}
