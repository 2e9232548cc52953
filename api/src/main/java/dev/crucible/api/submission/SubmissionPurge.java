package dev.crucible.api.submission;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.audit.AuditLog;
import dev.crucible.api.auth.Caller;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Erases the content of final submissions: source and input (the job), outputs, test results, output
 * files, the request's callback URL, Idempotency-Key and hash, the executor's message and the hash of
 * the files run; and their webhook deliveries and enqueue intents. What stays is a tombstone: id,
 * owner, batch, runtime, limits, verdict, exit code, usage, runs, score, timings, times and
 * {@code purged_at}. Every statement takes at most {@link #BATCH} rows, skipping those another
 * transaction holds, so no purge holds long locks or waits for the api.
 */
public final class SubmissionPurge {
    static final int BATCH = 100;
    /** A batch is a hundred rows by primary key: anything near this is a database in trouble, not a slow purge. */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    /** The rows of {@code due} (a CTE of submission ids, locked) erased, their deliveries and intents deleted. */
    private static final String ERASE = """
            , erased as (
                update submissions s set job = '', stdout = null, stderr = null, compile_output = null, test_results = null, test_cases = null,
                    output_files = null, message = null, callback_url = null, idempotency_key = null, request_hash = null,
                    provenance = (s.provenance::jsonb - 'filesSha256')::text, purged_at = coalesce(s.purged_at, now())
                from due where s.id = due.id
                returning s.id),
            deliveries as (delete from webhook_deliveries w using erased where w.submission_id = erased.id),
            intents as (delete from outbox o using erased where o.submission_id = erased.id)
            select id from erased""";
    private static final String FINAL = "s.status in ('completed', 'cancelled')";

    private final Jdbi jdbi;
    /** The commands of {@code due} (a CTE of session command ids, locked) erased to their status and times. */
    private static final String ERASE_COMMANDS = """
            update session_commands c set argv = '[]'::jsonb, result = null from due where c.id = due.id
            returning c.id""";

    private final ApiConfig.Retention retention;

    /** @param retention how long content is kept, and audit entries; a test passes seconds */
    public SubmissionPurge(Jdbi jdbi, ApiConfig.Retention retention) {
        this.jdbi = jdbi;
        this.retention = retention;
    }

    /**
     * Erases up to {@link #BATCH} final submissions, oldest first, whose content is past its
     * retention: its key's {@code retention_days}, or else the server's. Returns how many.
     */
    public int purgeExpired() {
        return jdbi.inTransaction(h -> erase(h, """
                with due as (
                    select s.id from submissions s join api_keys k on k.id = s.api_key_id
                    where s.purged_at is null and %s
                      and s.finished_at < now() - coalesce(k.retention_days * interval '1 day', :retentionMs * interval '1 millisecond')
                    order by s.finished_at limit :batch
                    for update of s skip locked)""".formatted(FINAL))
                .bind("retentionMs", retention.content().toMillis()).bind("batch", BATCH)
                .mapTo(UUID.class).list().size());
    }

    /**
     * Erases the content (argv and result, output included) of up to {@link #BATCH} commands of ended
     * sessions past the same retention, counted from the session's end; the rows stay, as tombstones.
     */
    public int purgeExpiredSessionCommands() {
        return jdbi.withHandle(h -> h.createQuery("""
                with due as (
                    select c.id from session_commands c join sessions s on s.id = c.session_id join api_keys k on k.id = s.api_key_id
                    where s.status = 'ended' and (c.result is not null or c.argv <> '[]'::jsonb)
                      and s.ended_at < now() - coalesce(k.retention_days * interval '1 day', :retentionMs * interval '1 millisecond')
                    order by s.ended_at limit :batch
                    for update of c skip locked)""" + ERASE_COMMANDS)
                .bind("retentionMs", retention.content().toMillis()).bind("batch", BATCH)
                .setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds()).mapTo(UUID.class).list().size());
    }

    /** Deletes up to {@link #BATCH} audit entries past the audit retention, oldest first; returns how many. */
    public int purgeExpiredAudit() {
        return jdbi.withHandle(h -> AuditLog.deleteOlderThan(h, retention.audit(), BATCH));
    }

    /**
     * Erases one final submission that {@code caller} may see, and audits that it did; false when
     * there is none such (absent, another key's, or not final). Erasing an erased one audits again.
     */
    boolean purge(Caller caller, UUID id) {
        return jdbi.inTransaction(h -> {
            boolean erased = !erase(h, """
                    with due as (
                        select s.id from submissions s where s.id = :id and (s.api_key_id = :key or :admin) and %s
                        for update of s)""".formatted(FINAL))
                    .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin())
                    .mapTo(UUID.class).list().isEmpty();
            if (erased) {
                AuditLog.record(h, caller, "submission.purge", id.toString());
            }
            return erased;
        });
    }

    /**
     * Erases every final submission of a key, {@link #BATCH} to a transaction, and audits how many.
     * It waits for rows another transaction holds (an event being stored): skipping them would leave them.
     */
    int purgeKey(Caller admin, UUID keyId) {
        int total = 0;
        while (true) {
            List<UUID> erased = jdbi.inTransaction(h -> erase(h, """
                    with due as (
                        select s.id from submissions s where s.api_key_id = :key and s.purged_at is null and %s
                        limit :batch for update of s)""".formatted(FINAL))
                    .bind("key", keyId).bind("batch", BATCH).mapTo(UUID.class).list());
            total += erased.size();
            if (erased.isEmpty()) {
                eraseSessionCommandsOf(keyId);
                int count = total;
                jdbi.useTransaction(h -> AuditLog.record(h, admin, "key.purge", keyId + " " + count));
                return total;
            }
        }
    }

    /** The content of every command of the key's ended sessions; an open session's are erased once it ends, by the retention. */
    private void eraseSessionCommandsOf(UUID keyId) {
        int erased;
        do {
            erased = jdbi.withHandle(h -> h.createQuery("""
                    with due as (
                        select c.id from session_commands c join sessions s on s.id = c.session_id
                        where s.api_key_id = :key and s.status = 'ended' and (c.result is not null or c.argv <> '[]'::jsonb)
                        limit :batch for update of c)""" + ERASE_COMMANDS)
                    .bind("key", keyId).bind("batch", BATCH).setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds())
                    .mapTo(UUID.class).list().size());
        } while (erased > 0);
    }

    /** A key's submissions that are queued or running, to be cancelled before its content is erased. */
    List<UUID> active(UUID keyId) {
        return jdbi.withHandle(h -> h.createQuery("select id from submissions where api_key_id = :key and status in ('queued', 'running')")
                .bind("key", keyId).mapTo(UUID.class).list());
    }

    private static Query erase(Handle h, String due) {
        return h.createQuery(due + ERASE).setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds());
    }
}
