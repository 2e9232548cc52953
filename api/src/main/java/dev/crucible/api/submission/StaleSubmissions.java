package dev.crucible.api.submission;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The reaper's queries: submissions that have waited unfinished for long, and putting one back in the outbox. */
final class StaleSubmissions {
    private final Jdbi jdbi;

    StaleSubmissions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A queued or running submission created before the bound.
     *
     * @param overdue created before its deadline too: it is ended rather than queued again
     */
    record Stale(UUID id, boolean overdue) {}

    /**
     * Queued or running submissions created more than {@code bound} ago, oldest first. Those with an
     * enqueue intent are left out: the outbox relay has them in hand.
     */
    List<Stale> olderThan(Duration bound, Duration deadline, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                select s.id, s.created_at < now() - make_interval(secs => :deadline) as overdue from submissions s
                where s.status in (:queued, :running) and s.created_at < now() - make_interval(secs => :bound)
                  and not exists (select 1 from outbox o where o.submission_id = s.id)
                order by s.created_at limit :limit""")
                .bind("queued", Status.QUEUED.wireName()).bind("running", Status.RUNNING.wireName())
                .bind("bound", bound.toMillis() / 1000.0).bind("deadline", deadline.toMillis() / 1000.0).bind("limit", limit)
                .map((rs, ctx) -> new Stale(rs.getObject(1, UUID.class), rs.getBoolean(2)))
                .list());
    }

    /**
     * Puts a submission that is still unfinished back to queued with a new enqueue intent, in one
     * transaction, for the outbox relay to publish; false when it has finished meanwhile.
     */
    boolean requeue(UUID id) {
        return jdbi.inTransaction(h -> {
            boolean requeued = h.createUpdate("update submissions set status = :queued where id = :id and status in (:queued, :running)")
                    .bind("queued", Status.QUEUED.wireName()).bind("running", Status.RUNNING.wireName()).bind("id", id)
                    .execute() == 1;
            if (requeued) {
                h.createUpdate("insert into outbox (submission_id) values (:id) on conflict do nothing").bind("id", id).execute();
            }
            return requeued;
        });
    }
}
