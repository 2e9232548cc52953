package dev.crucible.api.submission;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Enqueue intents in PostgreSQL: a submission's intent is written with its row, in one transaction
 * ({@link SubmissionStore#insertAll}), and removed here once the queue has the job.
 */
public final class Outbox {
    private final Jdbi jdbi;

    public Outbox(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A job still to be handed to the queue, and the key whose lane it waits in. */
    record PendingJob(UUID submissionId, UUID keyId, String job) {}

    /** Enqueue intents older than {@code age}: their request thread failed to hand them over, or died. */
    List<PendingJob> olderThan(Duration age, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                select o.submission_id, s.api_key_id, s.job from outbox o join submissions s on s.id = o.submission_id
                where o.created_at < now() - make_interval(secs => :age)
                order by o.created_at limit :limit""")
                .bind("age", age.toMillis() / 1000.0).bind("limit", limit)
                .map((rs, ctx) -> new PendingJob(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)))
                .list());
    }

    void done(UUID submissionId) {
        jdbi.useHandle(h -> h.createUpdate("delete from outbox where submission_id = :id").bind("id", submissionId).execute());
    }

    void failed(UUID submissionId) {
        jdbi.useHandle(h -> h.createUpdate("update outbox set attempts = attempts + 1 where submission_id = :id")
                .bind("id", submissionId).execute());
    }
}
