package dev.crucible.api.submission;

import dev.crucible.queue.ExecutionEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Submissions and their enqueue intents in PostgreSQL. Every state change is a guarded update, so
 * that an event delivered twice, late or out of order changes nothing it should not.
 */
public final class SubmissionStore {
    private final Jdbi jdbi;

    public SubmissionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A job still to be handed to the queue. */
    record PendingJob(UUID submissionId, String job) {}

    /** Stores a queued submission and its enqueue intent in one transaction. */
    void insertQueued(UUID id, UUID apiKeyId, String runtime, long wallTimeLimitMs, long memoryLimitMb,
                      long outputLimitBytes, String job, Instant createdAt) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    insert into submissions (id, api_key_id, status, runtime, wall_time_limit_ms, memory_limit_mb,
                                             output_limit_bytes, job, created_at)
                    values (:id, :key, 'queued', :runtime, :wall, :memory, :output, :job, :created)""")
                    .bind("id", id).bind("key", apiKeyId).bind("runtime", runtime)
                    .bind("wall", wallTimeLimitMs).bind("memory", memoryLimitMb).bind("output", outputLimitBytes)
                    .bind("job", job).bind("created", utc(createdAt))
                    .execute();
            h.createUpdate("insert into outbox (submission_id) values (:id)").bind("id", id).execute();
        });
    }

    /** The submission, if it exists and belongs to {@code apiKeyId}. */
    Optional<SubmissionRecord> find(UUID id, UUID apiKeyId) {
        return jdbi.withHandle(h -> h.createQuery("select * from submissions where id = :id and api_key_id = :key")
                .bind("id", id).bind("key", apiKeyId)
                .map((rs, ctx) -> record(rs))
                .findOne());
    }

    /** Moves a queued submission to running; false when it was not queued any more. */
    boolean markStarted(ExecutionEvent.Started started) {
        return jdbi.withHandle(h -> h.createUpdate("""
                update submissions set status = 'running', started_at = :at, executor = :executor
                where id = :id and status = 'queued'""")
                .bind("id", started.submissionId()).bind("at", utc(started.at())).bind("executor", started.executor())
                .execute()) == 1;
    }

    /** Stores the outcome of a submission that is not yet completed; false when it already was. */
    boolean markFinished(ExecutionEvent.Finished finished) {
        ExecutionEvent.Outcome o = finished.outcome();
        return jdbi.withHandle(h -> h.createUpdate("""
                update submissions set status = 'completed', verdict = :verdict, exit_code = :exit, signal = :signal,
                    stdout = :stdout, stdout_truncated_bytes = :stdoutDropped,
                    stderr = :stderr, stderr_truncated_bytes = :stderrDropped,
                    wall_time_ms = :wall, message = :message, executor = :executor,
                    started_at = coalesce(started_at, :started), finished_at = :finished
                where id = :id and status <> 'completed'""")
                .bind("id", finished.submissionId())
                .bind("verdict", o.verdict().name().toLowerCase(Locale.ROOT))
                .bind("exit", o.exitCode())
                .bind("signal", o.signal())
                .bind("stdout", o.stdout())
                .bind("stdoutDropped", o.stdoutTruncatedBytes())
                .bind("stderr", o.stderr())
                .bind("stderrDropped", o.stderrTruncatedBytes())
                .bind("wall", o.wallTimeMs())
                .bind("message", o.message())
                .bind("executor", finished.executor())
                .bind("started", utc(o.startedAt()))
                .bind("finished", utc(o.finishedAt()))
                .execute()) == 1;
    }

    /** Enqueue intents older than {@code age}: their request thread failed to hand them over, or died. */
    List<PendingJob> outboxOlderThan(Duration age, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                select o.submission_id, s.job from outbox o join submissions s on s.id = o.submission_id
                where o.created_at < now() - make_interval(secs => :age)
                order by o.created_at limit :limit""")
                .bind("age", age.toMillis() / 1000.0).bind("limit", limit)
                .map((rs, ctx) -> new PendingJob(rs.getObject(1, UUID.class), rs.getString(2)))
                .list());
    }

    void outboxDone(UUID submissionId) {
        jdbi.useHandle(h -> h.createUpdate("delete from outbox where submission_id = :id").bind("id", submissionId).execute());
    }

    void outboxFailed(UUID submissionId) {
        jdbi.useHandle(h -> h.createUpdate("update outbox set attempts = attempts + 1 where submission_id = :id")
                .bind("id", submissionId).execute());
    }

    /** Round trip to PostgreSQL, for readiness checks. */
    public void ping() {
        jdbi.useHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one());
    }

    private static SubmissionRecord record(ResultSet rs) throws SQLException {
        return new SubmissionRecord(
                rs.getObject("id", UUID.class),
                rs.getObject("api_key_id", UUID.class),
                rs.getString("status"),
                rs.getString("runtime"),
                rs.getLong("wall_time_limit_ms"),
                rs.getLong("memory_limit_mb"),
                rs.getString("verdict"),
                (Integer) rs.getObject("exit_code"),
                rs.getString("signal"),
                rs.getBytes("stdout"),
                (Long) rs.getObject("stdout_truncated_bytes"),
                rs.getBytes("stderr"),
                (Long) rs.getObject("stderr_truncated_bytes"),
                (Long) rs.getObject("wall_time_ms"),
                rs.getString("message"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
