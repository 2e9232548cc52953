package dev.crucible.api.evaluation;

import dev.crucible.api.audit.AuditLog;
import dev.crucible.api.auth.Caller;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The SQL of evaluations and their samples. A sample's state comes from its submission's row, read
 * by a join: the submission stays the one record of what ran.
 */
final class EvaluationStore {
    /** Done: refused, its submission final, or never submitted by an evaluation cancelled. */
    private static final String DONE = """
            (s.refused is not null or u.status in ('completed', 'cancelled')
             or (e.status = 'cancelled' and s.submission_id is null))""";
    private static final String SAMPLES = """
            from evaluation_samples s join evaluations e on e.id = s.evaluation_id
            left join submissions u on u.id = s.submission_id
            where s.evaluation_id = :id""";

    private final Jdbi jdbi;

    EvaluationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** An evaluation's row. */
    record Header(UUID id, Owner owner, String runtime, String ks, String status, String message, Instant createdAt,
                  Instant finishedAt) {}

    /** The key that made an evaluation, and the role it had then: its samples are submitted as that caller. */
    record Owner(UUID keyId, Caller.Role role) {}

    /** A problem to store: its place, id and template (JSON), and its samples as given. */
    record NewProblem(int index, String id, String template, List<String> samples) {}

    /** Stores the evaluation; false, storing nothing, when the key has {@code maxRunning} running already. */
    boolean insert(UUID id, Caller caller, String runtime, String ks, List<NewProblem> problems, int maxRunning) {
        return jdbi.inTransaction(h -> {
            // One key's evaluations are made one at a time, so two at once cannot both pass the count.
            h.createQuery("select 1 from pg_advisory_xact_lock(hashtext(:key))").bind("key", "evaluations " + caller.keyId())
                    .mapTo(Integer.class).one();
            int running = h.createQuery("select count(*) from evaluations where api_key_id = :key and status = 'running'")
                    .bind("key", caller.keyId()).mapTo(Integer.class).one();
            if (running >= maxRunning) {
                return false;
            }
            h.createUpdate("""
                    insert into evaluations (id, api_key_id, api_key_role, runtime, ks, status)
                    values (:id, :key, :role, :runtime, :ks, 'running')""")
                    .bind("id", id).bind("key", caller.keyId()).bind("role", caller.role().name())
                    .bind("runtime", runtime).bind("ks", ks).execute();
            PreparedBatch templates = h.prepareBatch("""
                    insert into evaluation_problems (evaluation_id, problem_index, problem_id, template)
                    values (:id, :problem, :problemId, :template)""");
            PreparedBatch samples = h.prepareBatch("""
                    insert into evaluation_samples (evaluation_id, position, problem_index, problem_id, sample_index, sample)
                    values (:id, :position, :problem, :problemId, :sample, :text)""");
            int position = 0;
            for (NewProblem p : problems) {
                templates.bind("id", id).bind("problem", p.index()).bind("problemId", p.id()).bind("template", p.template()).add();
                for (int j = 0; j < p.samples().size(); j++) {
                    samples.bind("id", id).bind("position", position++).bind("problem", p.index()).bind("problemId", p.id())
                            .bind("sample", j).bind("text", p.samples().get(j)).add();
                }
            }
            templates.execute();
            samples.execute();
            AuditLog.record(h, caller, "evaluation.create", id + " " + position);
            return true;
        });
    }

    Optional<Header> find(UUID id, Caller caller) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select id, api_key_id, api_key_role, runtime, ks, status, message, created_at, finished_at from evaluations
                        where id = :id and (api_key_id = :key or :admin)""")
                .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin())
                .map((rs, ctx) -> header(rs)).findOne());
    }

    /** The evaluations still feeding or waiting for results, oldest first. */
    List<Header> running() {
        return jdbi.withHandle(h -> h.createQuery("""
                        select id, api_key_id, api_key_role, runtime, ks, status, message, created_at, finished_at from evaluations
                        where status = 'running' order by created_at limit 1000""")
                .map((rs, ctx) -> header(rs)).list());
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Header header(ResultSet rs) throws SQLException {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        var owner = new Owner(rs.getObject("api_key_id", UUID.class), Caller.Role.valueOf(rs.getString("api_key_role")));
        return new Header(rs.getObject("id", UUID.class), owner, rs.getString("runtime"), rs.getString("ks"),
                rs.getString("status"), rs.getString("message"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                finished == null ? null : finished.toInstant());
    }

    /** A sample not submitted yet, with its problem's template (JSON). */
    record Pending(int position, String sample, String template) {}

    List<Pending> pending(UUID id, int max) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select s.position, s.sample, p.template from evaluation_samples s
                        join evaluation_problems p on p.evaluation_id = s.evaluation_id and p.problem_index = s.problem_index
                        where s.evaluation_id = :id and s.submission_id is null and s.refused is null
                        order by s.position limit :max""")
                .bind("id", id).bind("max", max)
                .map((rs, ctx) -> new Pending(rs.getInt("position"), rs.getString("sample"), rs.getString("template"))).list());
    }

    /**
     * Notes the sample's submission; false, noting nothing, when the evaluation stopped running
     * meanwhile. The evaluation's row is locked for it, so a cancel cannot slip in between.
     */
    boolean submitted(UUID id, int position, UUID submissionId) {
        return jdbi.inTransaction(h -> {
            boolean running = h.createQuery("select status = 'running' from evaluations where id = :id for share")
                    .bind("id", id).mapTo(Boolean.class).findOne().orElse(false);
            return running && h.createUpdate("""
                            update evaluation_samples set submission_id = :submission, sample = ''
                            where evaluation_id = :id and position = :position""")
                    .bind("id", id).bind("position", position).bind("submission", submissionId).execute() == 1;
        });
    }

    void refused(UUID id, int position, String why) {
        jdbi.useHandle(h -> h.createUpdate("""
                        update evaluation_samples set refused = :why, sample = '' where evaluation_id = :id and position = :position""")
                .bind("id", id).bind("position", position).bind("why", why).execute());
    }

    /** Marks a running evaluation completed once every sample is done; whether it did. */
    boolean completeIfDone(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        update evaluations e set status = 'completed', finished_at = now()
                        where e.id = :id and e.status = 'running' and not exists (
                            select 1 from evaluation_samples s left join submissions u on u.id = s.submission_id
                            where s.evaluation_id = :id and s.refused is null
                              and (s.submission_id is null or u.status in ('queued', 'running')))""")
                .bind("id", id).execute() == 1);
    }

    /** Cancels a running evaluation; its samples not yet submitted never are. Whether it was running. */
    boolean cancel(UUID id, Caller caller, String message) {
        return jdbi.inTransaction(h -> {
            boolean cancelled = h.createUpdate("""
                            update evaluations set status = 'cancelled', finished_at = now(), message = :message
                            where id = :id and (api_key_id = :key or :admin) and status = 'running'""")
                    .bind("id", id).bind("key", caller.keyId()).bind("admin", caller.isAdmin()).bind("message", message)
                    .execute() == 1;
            if (cancelled) {
                h.createUpdate("update evaluation_samples set sample = '' where evaluation_id = :id and submission_id is null")
                        .bind("id", id).execute();
                AuditLog.record(h, caller, "evaluation.cancel", id.toString());
            }
            return cancelled;
        });
    }

    /** The submissions of the evaluation still queued or running. */
    List<UUID> unfinishedSubmissions(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select u.id " + SAMPLES + " and u.status in ('queued', 'running')")
                .bind("id", id).mapTo(UUID.class).list());
    }

    /** One problem's counts so far. */
    record ProblemCounts(String problemId, int n, int submitted, int done, int correct) {}

    List<ProblemCounts> problems(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select s.problem_index, s.problem_id, count(*) as n,"
                        + " count(*) filter (where s.submission_id is not null) as submitted,"
                        + " count(*) filter (where " + DONE + ") as done,"
                        + " count(*) filter (where u.verdict = 'accepted') as correct "
                        + SAMPLES + " group by s.problem_index, s.problem_id order by s.problem_index")
                .bind("id", id)
                .map((rs, ctx) -> new ProblemCounts(rs.getString("problem_id"), rs.getInt("n"), rs.getInt("submitted"),
                        rs.getInt("done"), rs.getInt("correct"))).list());
    }

    /** Done samples by verdict, and by {@code cancelled} and {@code refused}. */
    Map<String, Integer> doneByVerdict(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select coalesce(u.verdict, case when s.refused is not null then 'refused'"
                        + " else 'cancelled' end) as verdict, count(*) as n " + SAMPLES + " and " + DONE + " group by 1 order by 1")
                .bind("id", id)
                .map((rs, ctx) -> Map.entry(rs.getString("verdict"), rs.getInt("n"))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Integer::sum, TreeMap::new)));
    }

    /**
     * One sample as listed.
     *
     * @param usage what its submission used; a figure is null while it has none (not submitted, not finished,
     *              or not measured)
     */
    record SampleRow(int position, String problemId, int sampleIndex, String status, String verdict, UUID submissionId,
                     Usage usage, String refused) {}

    /** What a sample's submission used, as its row has it. */
    record Usage(Long wallTimeMs, Long cpuTimeMs, Long peakMemoryKb) {}

    /** Up to {@code limit} samples after {@code afterPosition}, of {@code problemId} when it is not null. */
    List<SampleRow> samples(UUID id, String problemId, int afterPosition, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select s.position, s.problem_id, s.sample_index, s.submission_id, s.refused,"
                        + " e.status as evaluation_status, u.status, u.verdict, u.wall_time_ms, u.cpu_time_ms, u.peak_memory_kb "
                        + SAMPLES + " and s.position > :after and (cast(:problem as text) is null or s.problem_id = :problem)"
                        + " order by s.position limit :limit")
                .bind("id", id).bind("after", afterPosition).bind("problem", problemId).bind("limit", limit)
                .map((rs, ctx) -> {
                    UUID submission = rs.getObject("submission_id", UUID.class);
                    String refused = rs.getString("refused");
                    String status = refused != null ? "refused" : submission != null ? rs.getString("status")
                            : rs.getString("evaluation_status").equals("cancelled") ? "cancelled" : "pending";
                    var usage = new Usage(longOrNull(rs, "wall_time_ms"), longOrNull(rs, "cpu_time_ms"),
                            longOrNull(rs, "peak_memory_kb"));
                    return new SampleRow(rs.getInt("position"), rs.getString("problem_id"), rs.getInt("sample_index"), status,
                            rs.getString("verdict"), submission, usage, refused);
                }).list());
    }
}
