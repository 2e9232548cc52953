package dev.crucible.api.submission;

import dev.crucible.api.admission.Admission;
import dev.crucible.api.audit.AuditLog;
import dev.crucible.api.auth.Caller;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Submissions and their enqueue intents in PostgreSQL. Every state change is a guarded update, so
 * that an event delivered twice, late or out of order changes nothing it should not.
 */
public final class SubmissionStore {
    /** Every column of a submission but its outputs, for listings. */
    private static final String SUMMARY_COLUMNS = """
            select id, api_key_id, status, runtime, wall_time_limit_ms, memory_limit_mb, verdict, exit_code, signal,
                   null::bytea as stdout, stdout_truncated_bytes, null::bytea as stderr, stderr_truncated_bytes,
                   wall_time_ms, message, null::bytea as compile_output, null::text as test_results, provenance,
                   tests_passed, tests_total, created_at, started_at, finished_at,
                   queue_wait_ms, compile_ms, create_ms, start_ms, run_ms, teardown_ms,
                   cpu_time_ms, peak_memory_kb, run_results, null::text as output_files
            from submissions""";
    private static final ExecutionEvent.StageTimings NO_TIMINGS = new ExecutionEvent.StageTimings(null, null, null, null, null);
    private final Jdbi jdbi;

    public SubmissionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A submission to store: the row's fields, and the queue message for the outbox. */
    record NewSubmission(UUID id, Caller caller, String runtime, long wallTimeLimitMs, long memoryLimitMb,
                         long outputLimitBytes, String job, String callbackUrl, Instant createdAt,
                         String idempotencyKey, byte[] requestHash) {}

    /** An earlier submission made with the same Idempotency-Key by the same API key. */
    record Earlier(UUID id, byte[] requestHash) {}

    Optional<Earlier> findByIdempotencyKey(UUID apiKeyId, String idempotencyKey) {
        return jdbi.withHandle(h -> h.createQuery(
                "select id, request_hash from submissions where api_key_id = :key and idempotency_key = :idem")
                .bind("key", apiKeyId).bind("idem", idempotencyKey)
                .map((rs, ctx) -> new Earlier(rs.getObject(1, UUID.class), rs.getBytes(2))).findOne());
    }

    /**
     * Stores a queued submission, its enqueue intent and its audit entry in one transaction, if
     * {@code admission} lets the key's quotas and the server's queue cap take it.
     */
    Admission.Decision insertQueued(NewSubmission s, Admission admission) {
        return insertAll(null, s.caller(), List.of(s), admission);
    }

    /**
     * Stores submissions (a batch when {@code batchId} is set) with their enqueue intents and audit
     * entries in one transaction: all of them or none, and none unless {@code admission} admits them
     * all. The admission check locks the key's row in this same transaction, so concurrent
     * submissions of one key cannot slip past a quota together.
     *
     * @return the admission's decision; anything but {@link Admission.Admitted} stored nothing
     */
    Admission.Decision insertAll(UUID batchId, Caller caller, List<NewSubmission> all, Admission admission) {
        int n = all.size();
        return jdbi.inTransaction(h -> {
            Admission.Decision decision = admission.check(h, caller.keyId(), n);
            if (!(decision instanceof Admission.Admitted)) {
                return decision;
            }
            if (batchId != null) {
                h.createUpdate("insert into batches (id, api_key_id, created_at) values (:id, :key, now())")
                        .bind("id", batchId).bind("key", caller.keyId()).execute();
                AuditLog.record(h, caller, "batch.create", batchId + " " + n);
            }
            for (int i = 0; i < n; i++) {
                NewSubmission s = all.get(i);
                h.createUpdate("""
                        insert into submissions (id, api_key_id, status, runtime, wall_time_limit_ms, memory_limit_mb,
                                                 output_limit_bytes, job, callback_url, created_at, idempotency_key, request_hash,
                                                 batch_id, batch_position)
                        values (:id, :key, 'queued', :runtime, :wall, :memory, :output, :job, :callback, now(), :idem, :hash,
                                cast(:batch as uuid), :position)""")
                        .bind("id", s.id()).bind("key", caller.keyId()).bind("runtime", s.runtime())
                        .bind("wall", s.wallTimeLimitMs()).bind("memory", s.memoryLimitMb()).bind("output", s.outputLimitBytes())
                        .bind("job", s.job()).bind("callback", s.callbackUrl())
                        .bind("idem", s.idempotencyKey()).bind("hash", s.requestHash())
                        .bind("batch", batchId == null ? null : batchId.toString()).bindByType("position", batchId == null ? null : i, Integer.class)
                        .execute();
                h.createUpdate("insert into outbox (submission_id) values (:id)").bind("id", s.id()).execute();
                AuditLog.record(h, caller, "submission.create", s.id().toString());
            }
            return decision;
        });
    }

    /** A batch, if {@code caller} may see it, with its submissions in the order given, without outputs. */
    Optional<Map.Entry<Instant, List<SubmissionRecord>>> findBatch(UUID id, Caller caller) {
        return jdbi.withHandle(h -> h.createQuery("select created_at from batches where id = :id and (api_key_id = :key or :admin)")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin())
                .mapTo(OffsetDateTime.class).findOne()
                .map(created -> Map.entry(created.toInstant(), h.createQuery(SUMMARY_COLUMNS + " where batch_id = :id order by batch_position")
                        .bind("id", id).map((rs, ctx) -> record(rs)).list())));
    }

    /** The submission, if it exists and {@code caller} may see it: its own, or any for an admin. */
    Optional<SubmissionRecord> find(UUID id, Caller caller) {
        return jdbi.withHandle(h -> h.createQuery("select * from submissions where id = :id and (api_key_id = :key or :admin)")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin())
                .map((rs, ctx) -> record(rs))
                .findOne());
    }

    /** What a listing may be narrowed to; null fields do not narrow. */
    record ListFilter(String status, String runtime, String verdict, Instant createdAfter, Instant createdBefore) {}

    /** Where a page starts: after this (created_at, id) in newest-first order. */
    record Position(Instant createdAt, UUID id) {}

    /**
     * A key's submissions, newest first, without their outputs. Every value is bound, never spliced
     * into the SQL: only the fixed condition texts below are joined.
     */
    List<SubmissionRecord> list(UUID keyId, ListFilter filter, Position after, int limit) {
        StringBuilder sql = new StringBuilder(SUMMARY_COLUMNS + " where api_key_id = :key");
        Map<String, Object> binds = new HashMap<>();
        binds.put("key", keyId);
        binds.put("limit", limit);
        condition(sql, binds, " and status = :status", "status", filter.status());
        condition(sql, binds, " and runtime = :runtime", "runtime", filter.runtime());
        condition(sql, binds, " and verdict = :verdict", "verdict", filter.verdict());
        condition(sql, binds, " and created_at > :after", "after", utc(filter.createdAfter()));
        condition(sql, binds, " and created_at < :before", "before", utc(filter.createdBefore()));
        if (after != null) {
            sql.append(" and (created_at, id) < (:cursorTime, :cursorId)");
            binds.put("cursorTime", utc(after.createdAt()));
            binds.put("cursorId", after.id());
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        return jdbi.withHandle(h -> h.createQuery(sql.toString()).bindMap(binds).map((rs, ctx) -> record(rs)).list());
    }

    private static void condition(StringBuilder sql, Map<String, Object> binds, String text, String name, Object value) {
        if (value != null) {
            sql.append(text);
            binds.put(name, value);
        }
    }

    /**
     * Moves a queued submission to running, and stores how long it waited: from its creation (the
     * database's clock) to the executor's start (the executor's). Returns that wait; empty when the
     * submission was not queued any more.
     */
    Optional<Duration> markStarted(ExecutionEvent.Started started) {
        return jdbi.withHandle(h -> h.createQuery("""
                update submissions set status = 'running', started_at = :at, executor = :executor,
                    queue_wait_ms = greatest(0, round(extract(epoch from (cast(:at as timestamptz) - created_at)) * 1000))
                where id = :id and status = 'queued'
                returning queue_wait_ms""")
                .bind("id", started.submissionId()).bind("at", utc(started.at())).bind("executor", started.executor())
                .mapTo(Long.class).findOne().map(Duration::ofMillis));
    }

    /**
     * Stores the outcome of a submission that is not yet completed, and schedules its webhook if it
     * asked for one, in one transaction; false when it was completed already.
     */
    boolean markFinished(ExecutionEvent.Finished finished) {
        ExecutionEvent.Outcome o = finished.outcome();
        // An executor older than timings sends none: the columns stay null.
        ExecutionEvent.StageTimings timings = Objects.requireNonNullElse(o.timings(), NO_TIMINGS);
        return jdbi.inTransaction(h -> {
            boolean changed = h.createUpdate("""
                update submissions set status = 'completed', verdict = :verdict, exit_code = :exit, signal = :signal,
                    stdout = :stdout, stdout_truncated_bytes = :stdoutDropped,
                    stderr = :stderr, stderr_truncated_bytes = :stderrDropped,
                    wall_time_ms = :wall, message = :message, executor = :executor, job = '', compile_output = :compileOutput,
                    test_results = :tests, provenance = :provenance, tests_passed = :passed, tests_total = :total,
                    compile_ms = :compile, create_ms = :create, start_ms = :start, run_ms = :run, teardown_ms = :teardown,
                    cpu_time_ms = :cpu, peak_memory_kb = :memory, run_results = :runs, output_files = :outputFiles,
                    started_at = coalesce(started_at, :started), finished_at = coalesce(:finished, now())
                where id = :id and status in ('queued', 'running')""")
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
                .bind("compileOutput", o.compileOutput())
                .bind("tests", o.tests().isEmpty() ? null : StoredJson.write(o.tests()))
                .bind("provenance", StoredJson.write(o.provenance()))
                .bindByType("passed", o.tests().isEmpty() ? null
                        : (int) o.tests().stream().filter(t -> t.verdict() == Verdict.ACCEPTED).count(), Integer.class)
                .bindByType("total", o.tests().isEmpty() ? null : o.tests().size(), Integer.class)
                .bind("compile", timings.compileMs())
                .bind("create", timings.createMs())
                .bind("start", timings.startMs())
                .bind("run", timings.runMs())
                .bind("teardown", timings.teardownMs())
                .bindByType("cpu", o.usage() == null ? null : o.usage().cpuTimeMs(), Long.class)
                .bindByType("memory", o.usage() == null ? null : o.usage().peakMemoryKb(), Long.class)
                .bind("runs", o.runs().isEmpty() ? null : StoredJson.write(o.runs()))
                .bind("outputFiles", o.outputFiles().isEmpty() ? null : StoredJson.write(o.outputFiles()))
                .bind("executor", finished.executor())
                .bind("started", utc(o.startedAt()))
                .bind("finished", utc(o.finishedAt()))
                .execute() == 1;
            if (changed) {
                h.createUpdate("""
                        insert into webhook_deliveries (submission_id, url)
                        select id, callback_url from submissions where id = :id and callback_url is not null""")
                        .bind("id", finished.submissionId()).execute();
            }
            return changed;
        });
    }

    /**
     * Cancels a submission that is queued or running and that {@code caller} may see; false when
     * there is none such (absent, another key's, or final already).
     */
    boolean cancel(Caller caller, UUID id) {
        return jdbi.inTransaction(h -> {
            int cancelled = h.createUpdate("""
                    update submissions set status = 'cancelled', finished_at = now(), job = ''
                    where id = :id and (api_key_id = :key or :admin) and status in ('queued', 'running')""")
                    .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin()).execute();
            if (cancelled == 1) {
                h.createUpdate("delete from outbox where submission_id = :id").bind("id", id).execute();
                AuditLog.record(h, caller, "submission.cancel", id.toString());
            }
            return cancelled == 1;
        });
    }

    /** The submission as its owner sees it, for a webhook body. */
    Optional<SubmissionRecord> findForWebhook(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from submissions where id = :id")
                .bind("id", id).map((rs, ctx) -> record(rs)).findOne());
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
                rs.getBytes("compile_output"),
                Objects.requireNonNullElse(StoredJson.read(rs.getString("test_results"), StoredJson.TESTS), List.of()),
                StoredJson.read(rs.getString("provenance"), StoredJson.PROVENANCE),
                (Integer) rs.getObject("tests_passed"),
                (Integer) rs.getObject("tests_total"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")),
                (Long) rs.getObject("queue_wait_ms"),
                stageTimings(rs),
                rs.getObject("peak_memory_kb") == null ? null
                        : new ExecutionEvent.Usage((Long) rs.getObject("cpu_time_ms"), rs.getLong("peak_memory_kb")),
                Objects.requireNonNullElse(StoredJson.read(rs.getString("run_results"), StoredJson.RUNS), List.of()),
                Objects.requireNonNullElse(StoredJson.read(rs.getString("output_files"), StoredJson.OUTPUT_FILES), List.of()));
    }

    /** The executor's timings, or null when it reported none (not completed, or an executor older than timings). */
    private static ExecutionEvent.StageTimings stageTimings(ResultSet rs) throws SQLException {
        var timings = new ExecutionEvent.StageTimings((Long) rs.getObject("compile_ms"), (Long) rs.getObject("create_ms"),
                (Long) rs.getObject("start_ms"), (Long) rs.getObject("run_ms"), (Long) rs.getObject("teardown_ms"));
        return timings.equals(NO_TIMINGS) ? null : timings;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
