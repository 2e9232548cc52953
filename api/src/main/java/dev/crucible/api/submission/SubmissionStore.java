package dev.crucible.api.submission;

import dev.crucible.api.admission.Admission;
import dev.crucible.api.audit.AuditLog;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.webhook.Callback;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import dev.crucible.queue.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.core.statement.Query;

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
                   tests_passed, tests_total, created_at, started_at, finished_at, purged_at,
                   queue_wait_ms, compile_ms, create_ms, start_ms, run_ms, teardown_ms, pool,
                   cpu_time_ms, peak_memory_kb, run_results, null::text as output_files, null::text as test_cases
            from submissions""";
    /** Not the runs either: what a read of none of the large fields needs. */
    private static final String SMALL_COLUMNS = withoutRuns(SUMMARY_COLUMNS);
    /**
     * The bytes of a row's large columns that a read answers with, for the response budget. Not the
     * job: it is kept after the end, but only {@code ?fields=request} answers with it.
     */
    private static final String LARGE_COLUMNS_BYTES = """
            coalesce(octet_length(stdout), 0) + coalesce(octet_length(stderr), 0)
            + coalesce(octet_length(compile_output), 0) + coalesce(octet_length(test_results), 0)
            + coalesce(octet_length(run_results), 0) + coalesce(octet_length(output_files), 0)
            + coalesce(octet_length(test_cases), 0)""";

    private static final RowMapper<SubmissionRecord> ROWS = new SpecializedOnce<>(ConstructorMapper.of(SubmissionRecord.class));
    private final Jdbi jdbi;

    public SubmissionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A submission to store: the row's fields, and the queue message for the outbox.
     *
     * @param limits the job's limits, stored beside it in columns of their own
     * @param job      the job as it travels on the stream ({@link dev.crucible.queue.JobCodec})
     * @param callback null without one
     */
    record NewSubmission(UUID id, Caller caller, String runtime, Job.JobLimits limits, String job, Callback callback,
                         Instant createdAt, Idempotency idempotency) {}

    /** The client's Idempotency-Key and the hash of the request it came with; both null without a key. */
    record Idempotency(String key, byte[] requestHash) {
        static final Idempotency NONE = new Idempotency(null, null);
    }

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
            Admission.Decision decision = admission.check(h, caller.keyId(), all.stream().map(s -> s.limits().sandboxMs()).toList());
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
                                                 output_limit_bytes, job, callback_url, callback_format, created_at, idempotency_key,
                                                 request_hash, batch_id, batch_position, sandbox_ms)
                        values (:id, :key, :queued, :runtime, :wall, :memory, :output, :job, :callback, :format, now(), :idem,
                                :hash, cast(:batch as uuid), :position, :sandbox)""")
                        .bind("id", s.id()).bind("key", caller.keyId()).bind("queued", Status.QUEUED.wireName())
                        .bind("runtime", s.runtime())
                        .bind("wall", s.limits().wallTimeMs()).bind("memory", s.limits().memoryMb())
                        .bind("output", s.limits().outputBytes()).bind("sandbox", s.limits().sandboxMs())
                        .bind("job", s.job()).bind("callback", s.callback() == null ? null : s.callback().url())
                        .bind("format", (s.callback() == null ? CallbackFormat.CRUCIBLE : s.callback().format()).wireName())
                        .bind("idem", s.idempotency().key()).bind("hash", s.idempotency().requestHash())
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
                .map(created -> Map.entry(created.toInstant(), records(h.createQuery(SUMMARY_COLUMNS + " where batch_id = :id order by batch_position")
                        .bind("id", id)).list())));
    }

    /** The submission, if it exists and {@code caller} may see it: its own, or any for an admin. */
    Optional<SubmissionRecord> find(UUID id, Caller caller) {
        return jdbi.withHandle(h -> records(h.createQuery("select * from submissions where id = :id and (api_key_id = :key or :admin)")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin()))
                .findOne());
    }

    /**
     * The job a submission that {@code caller} may see was queued with, as the queue carries it: what
     * it asked for. Empty when there is none such, or when its content was erased.
     */
    Optional<String> job(UUID id, Caller caller) {
        return jdbi.withHandle(h -> h.createQuery("select job from submissions where id = :id and (api_key_id = :key or :admin) and job <> ''")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin())
                .mapTo(String.class).findOne());
    }

    /** The summary's columns with the runs left out; fails at class load should the summary stop naming them so. */
    private static String withoutRuns(String summary) {
        String small = summary.replace(" run_results,", " null::text as run_results,");
        if (small.equals(summary)) {
            throw new IllegalStateException("SUMMARY_COLUMNS no longer selects ' run_results,': SMALL_COLUMNS would read the runs");
        }
        return small;
    }

    /**
     * The bytes of the row's large columns (outputs, tests, runs, output files): what reading it
     * will hold, within a factor. PostgreSQL answers octet_length from a stored value's header, without
     * decompressing or sending it. 0 when the caller has no such submission, which the read answers 404.
     */
    long storedBytes(UUID id, Caller caller) {
        return storedBytes(id, caller, false);
    }

    /** @param withJob whether the read answers with what was asked too ({@code ?fields=request}) */
    long storedBytes(UUID id, Caller caller, boolean withJob) {
        return jdbi.withHandle(h -> h.createQuery("select " + LARGE_COLUMNS_BYTES + (withJob ? " + coalesce(octet_length(job), 0)" : "")
                        + " from submissions where id = :id and (api_key_id = :key or :admin)")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin())
                .mapTo(Long.class).findOne().orElse(0L));
    }

    /** The same, read by id alone, for a webhook's body. */
    long storedBytesForWebhook(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select " + LARGE_COLUMNS_BYTES + " from submissions where id = :id")
                .bind("id", id).mapTo(Long.class).findOne().orElse(0L));
    }

    /** The same for those of {@code ids} that {@code keyId} made, together. */
    long storedBytesOwn(List<UUID> ids, UUID keyId) {
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createQuery(
                "select coalesce(sum(" + LARGE_COLUMNS_BYTES + "), 0) from submissions where id in (<ids>) and api_key_id = :key")
                .bindList("ids", ids).bind("key", keyId).mapTo(Long.class).one());
    }

    /** The submission without its outputs, tests, runs and output files, read without them. */
    Optional<SubmissionRecord> findWithoutOutputs(UUID id, Caller caller) {
        return jdbi.withHandle(h -> records(h.createQuery(SMALL_COLUMNS + " where id = :id and (api_key_id = :key or :admin)")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin()))
                .findOne());
    }

    /** Those of {@code ids} that {@code keyId} made, an admin's key not excepted, in no particular order. */
    List<SubmissionRecord> findOwn(List<UUID> ids, UUID keyId) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> records(h.createQuery("select * from submissions where id in (<ids>) and api_key_id = :key")
                .bindList("ids", ids).bind("key", keyId)).list());
    }

    /** What a listing may be narrowed to; null fields do not narrow. */
    record ListFilter(Status status, String runtime, String verdict, Instant createdAfter, Instant createdBefore) {}

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
        condition(sql, binds, " and status = :status", "status", filter.status() == null ? null : filter.status().wireName());
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
        return jdbi.withHandle(h -> records(h.createQuery(sql.toString()).bindMap(binds)).list());
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
                update submissions set status = :running, started_at = :at, executor = :executor,
                    queue_wait_ms = greatest(0, round(extract(epoch from (cast(:at as timestamptz) - created_at)) * 1000))
                where id = :id and status = :queued
                returning queue_wait_ms""")
                .bind("running", Status.RUNNING.wireName()).bind("queued", Status.QUEUED.wireName())
                .bind("id", started.submissionId()).bind("at", utc(started.at())).bind("executor", started.executor())
                .mapTo(Long.class).findOne().map(Duration::ofMillis));
    }

    /**
     * Tests passed of tests run; for a project, its passed test cases of those not skipped; null when
     * the job had neither.
     */
    static SubmissionRecord.Score score(ExecutionEvent.Outcome o) {
        if (!o.tests().isEmpty()) {
            return new SubmissionRecord.Score(
                    (int) o.tests().stream().filter(t -> t.result().verdict() == Verdict.ACCEPTED).count(), o.tests().size());
        }
        if (!o.testCases().isEmpty()) {
            return new SubmissionRecord.Score(
                    (int) o.testCases().stream().filter(c -> c.status() == ExecutionEvent.TestCaseStatus.PASSED).count(),
                    (int) o.testCases().stream().filter(c -> c.status() != ExecutionEvent.TestCaseStatus.SKIPPED).count());
        }
        return null;
    }

    /**
     * Stores the outcome of a submission that is not yet completed, and schedules its webhook if it
     * asked for one, in one transaction; false when it was completed already.
     */
    boolean markFinished(ExecutionEvent.Finished finished) {
        ExecutionEvent.Outcome o = finished.outcome();
        List<ExecutionEvent.TestOutcome> tests = o.tests();
        SubmissionRecord.Score score = score(o);
        return jdbi.inTransaction(h -> {
            // "?." binds null when the part is absent: no usage measured, or an executor older than timings.
            boolean changed = h.createUpdate("""
                update submissions set status = :completed, verdict = :o.result.verdict.wireName,
                    exit_code = :o.result.exitCode, signal = :o.result.signal,
                    stdout = :o.output.stdout, stdout_truncated_bytes = :o.output.stdoutTruncatedBytes,
                    stderr = :o.output.stderr, stderr_truncated_bytes = :o.output.stderrTruncatedBytes,
                    wall_time_ms = :o.result.wallTimeMs, message = :o.diagnostics.message, executor = :executor,
                    compile_output = :o.diagnostics.compileOutput,
                    test_results = :tests, provenance = :provenance, tests_passed = :passed, tests_total = :total,
                    compile_ms = :o.context.timings?.compileMs, create_ms = :o.context.timings?.createMs,
                    start_ms = :o.context.timings?.startMs, run_ms = :o.context.timings?.runMs,
                    teardown_ms = :o.context.timings?.teardownMs, pool = :o.context.timings?.pool,
                    cpu_time_ms = :o.result.usage?.cpuTimeMs, peak_memory_kb = :o.result.usage?.peakMemoryKb,
                    run_results = :runs, output_files = :outputFiles, test_cases = :testCases,
                    started_at = coalesce(started_at, :started), finished_at = coalesce(:finished, now())
                where id = :id and status in (:queued, :running)""")
                .bindMethods("o", o)
                .bind("completed", Status.COMPLETED.wireName())
                .bind("queued", Status.QUEUED.wireName()).bind("running", Status.RUNNING.wireName())
                .bind("id", finished.submissionId())
                .bind("executor", finished.executor())
                .bind("tests", tests.isEmpty() ? null : StoredJson.write(tests))
                .bind("provenance", StoredJson.write(o.context().provenance()))
                .bindByType("passed", score == null ? null : score.passed(), Integer.class)
                .bindByType("total", score == null ? null : score.total(), Integer.class)
                .bind("testCases", o.testCases().isEmpty() ? null : StoredJson.write(o.testCases()))
                .bind("runs", o.runs().isEmpty() ? null : StoredJson.write(o.runs()))
                .bind("outputFiles", o.outputFiles().isEmpty() ? null : StoredJson.write(o.outputFiles()))
                .bind("started", utc(o.context().startedAt()))
                .bind("finished", utc(o.context().finishedAt()))
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
                    update submissions set status = :cancelled, finished_at = now()
                    where id = :id and (api_key_id = :key or :admin) and status in (:queued, :running)""")
                    .bind("cancelled", Status.CANCELLED.wireName())
                    .bind("queued", Status.QUEUED.wireName()).bind("running", Status.RUNNING.wireName())
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
        return jdbi.withHandle(h -> records(h.createQuery("select * from submissions where id = :id").bind("id", id)).findOne());
    }

    /** The rows {@code query} selects, mapped to records by their components' names. */
    private static ResultIterable<SubmissionRecord> records(Query query) {
        return query.registerColumnMapper(Status.class, (rs, column, ctx) -> Status.ofWireName(rs.getString(column)))
                .registerColumnMapper(ExecutionEvent.Outcome.class, new StoredOutcome())
                .map(ROWS);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
