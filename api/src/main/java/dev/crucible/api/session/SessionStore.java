package dev.crucible.api.session;

import dev.crucible.api.admission.Admission;
import dev.crucible.api.audit.AuditLog;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.submission.SubmissionService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The sessions' rows and their commands' rows; the executor that holds a session is its only live state. */
public final class SessionStore {
    private final Jdbi jdbi;
    private final Admission admission;

    public SessionStore(Jdbi jdbi, Admission admission) {
        this.jdbi = jdbi;
        this.admission = admission;
    }

    /** A session row; {@code executor} and {@code incarnation} are null until it is ready. */
    record Row(UUID id, UUID keyId, String runtime, Limits limits, Lifetime lifetime, String status, Where where, Times times,
               String endedReason, String message) {}

    record Limits(long memoryMb, long commandWallTimeMs) {}

    record Lifetime(int idleTimeoutS, int maxLifetimeS) {}

    record Where(String executor, String incarnation) {}

    record Times(Instant createdAt, Instant readyAt, Instant expiresAt, Instant endedAt) {}

    /**
     * A command row; {@code result} is the Command JSON once it finished, {@code change} the number of its
     * last change in its session's counter.
     */
    record CommandRow(UUID id, UUID sessionId, String status, String argv, Instant createdAt, Instant finishedAt, String result,
                      long change) {}

    /** Commands that changed, in the order they did, and the session's counter as they were read. */
    record CommandChanges(List<CommandRow> commands, long mark) {}

    private static final String COMMAND_COLUMNS = "id, session_id, status, argv::text as argv, created_at, finished_at, change";

    private static final String COLUMNS = """
            id, api_key_id, runtime, memory_mb, command_wall_time_ms, idle_timeout_s, max_lifetime_s, status, executor,
            incarnation, created_at, ready_at, expires_at, ended_at, ended_reason, message""";

    /**
     * Stores a new session in {@code starting} once its key may open it: within its quotas (it counts as
     * active; the time it lives counts as sandbox time) and under its maximum of open sessions.
     */
    Row insert(UUID id, Caller caller, String runtime, Limits limits, Lifetime lifetime, int maxOpenPerKey) {
        return jdbi.inTransaction(h -> {
            // One more active, and no sandbox time yet: a session's time counts as it is lived, so a key
            // already over a budget opens none, and one within it is not refused for a lifetime it may not use.
            SubmissionService.requireAdmitted(admission.check(h, caller.keyId(), List.of(0L)), false);
            long open = h.createQuery("select count(*) from sessions where api_key_id = :key and status <> 'ended'")
                    .bind("key", caller.keyId()).mapTo(Long.class).one();
            if (open >= maxOpenPerKey) {
                throw new ApiException.TooManyRequests("this key may have " + maxOpenPerKey + " sessions open at once",
                        Duration.ofSeconds(5));
            }
            h.createUpdate("""
                    insert into sessions (id, api_key_id, runtime, memory_mb, command_wall_time_ms, idle_timeout_s, max_lifetime_s,
                                          status, expires_at, sandbox_ms)
                    values (:id, :key, :runtime, :memory, :wall, :idle, :lifetime, 'starting',
                            now() + least(:idle, :lifetime) * interval '1 second', 0)""")
                    .bind("id", id).bind("key", caller.keyId()).bind("runtime", runtime)
                    .bind("memory", limits.memoryMb()).bind("wall", limits.commandWallTimeMs())
                    .bind("idle", lifetime.idleTimeoutS()).bind("lifetime", lifetime.maxLifetimeS())
                    .execute();
            AuditLog.record(h, caller, "session.create", id + " " + runtime);
            return find(h, id).orElseThrow();
        });
    }

    /** The session if {@code caller} may see it: its own, or any for an admin. */
    Optional<Row> find(UUID id, Caller caller) {
        return jdbi.withHandle(h -> find(h, id)).filter(row -> caller.isAdmin() || row.keyId().equals(caller.keyId()));
    }

    Optional<Row> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private static Optional<Row> find(Handle h, UUID id) {
        return h.createQuery("select " + COLUMNS + " from sessions where id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    List<Row> list(Caller caller, int limit, boolean openOnly) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from sessions where (:all or api_key_id = :key)"
                        + (openOnly ? " and status <> 'ended'" : "") + " order by created_at desc, id limit :limit")
                .bind("all", caller.isAdmin()).bind("key", caller.keyId()).bind("limit", limit)
                .map((rs, ctx) -> row(rs)).list());
    }

    /** Sessions not ended, for the reaper. */
    List<Row> open() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from sessions where status <> 'ended'")
                .map((rs, ctx) -> row(rs)).list());
    }

    /** Marks a starting session ready on {@code executor}; false when it is no longer starting. */
    boolean markReady(UUID id, String executor, String incarnation, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("""
                update sessions set status = 'ready', executor = :executor, incarnation = :incarnation, ready_at = cast(:at as timestamptz),
                       expires_at = least(cast(:at as timestamptz) + idle_timeout_s * interval '1 second',
                                          created_at + max_lifetime_s * interval '1 second')
                where id = :id and status = 'starting'""")
                .bind("id", id).bind("executor", executor).bind("incarnation", incarnation).bind("at", Timestamp.from(at))
                .execute() == 1);
    }

    /** Pushes the idle deadline back from now, never past the maximum lifetime; false when the session is not ready. */
    boolean touch(UUID id) {
        return jdbi.withHandle(h -> touch(h, id));
    }

    private static boolean touch(Handle h, UUID id) {
        return h.createUpdate("""
                update sessions set expires_at = least(now() + idle_timeout_s * interval '1 second',
                                                       created_at + max_lifetime_s * interval '1 second')
                where id = :id and status = 'ready'""").bind("id", id).execute() == 1;
    }

    /**
     * Ends the session once: its commands still running are lost, the lifetime it had is kept
     * ({@code sandbox_ms}, for reading; budgets count its life within their window), and the end is
     * audited. False when it had ended already.
     */
    boolean markEnded(UUID id, String reason, String message, Instant at) {
        return jdbi.inTransaction(h -> {
            Optional<Map<String, Object>> ended = h.createQuery("""
                    update sessions set status = 'ended', ended_reason = :reason, message = :message, ended_at = cast(:at as timestamptz),
                           expires_at = least(expires_at, cast(:at as timestamptz)),
                           sandbox_ms = greatest(0, (extract(epoch from (cast(:at as timestamptz) - created_at)) * 1000)::bigint),
                           command_changes = command_changes + 1
                    where id = :id and status <> 'ended' returning api_key_id, command_changes""")
                    .bind("id", id).bind("reason", reason).bind("message", message).bind("at", Timestamp.from(at))
                    .mapToMap().findOne();
            if (ended.isEmpty()) {
                return false;
            }
            h.createUpdate("""
                    update session_commands set status = 'lost', finished_at = cast(:at as timestamptz), change = :change
                    where session_id = :id and status = 'running'""")
                    .bind("id", id).bind("at", Timestamp.from(at)).bind("change", (Long) ended.get().get("command_changes")).execute();
            AuditLog.record(h, new Caller((UUID) ended.get().get("api_key_id"), Caller.Role.SUBMITTER, null), "session.end", id + " " + reason);
            return true;
        });
    }

    /** Open sessions of {@code executor} held by another start of it than {@code incarnation}. */
    List<UUID> heldByEarlierStart(String executor, String incarnation) {
        return jdbi.withHandle(h -> h.createQuery("""
                select id from sessions where status = 'ready' and executor = :executor and incarnation <> :incarnation""")
                .bind("executor", executor).bind("incarnation", incarnation).mapTo(UUID.class).list());
    }

    /**
     * Stores a running command, once the session is ready and runs fewer than {@code maxRunning}; audited
     * without its content.
     */
    CommandRow insertCommand(UUID id, UUID sessionId, Caller caller, String argvJson, int maxRunning) {
        return jdbi.inTransaction(h -> {
            String status = h.createQuery("select status from sessions where id = :id for update").bind("id", sessionId)
                    .mapTo(String.class).one();
            if (!status.equals("ready")) {
                throw new ApiException.SessionNotReady("session " + sessionId + " is " + status + ", not ready for commands");
            }
            long running = h.createQuery("select count(*) from session_commands where session_id = :id and status = 'running'")
                    .bind("id", sessionId).mapTo(Long.class).one();
            if (running >= maxRunning) {
                throw new ApiException.TooManyRequests("a session may run " + maxRunning + " commands at once", Duration.ofSeconds(1));
            }
            h.createUpdate("""
                    insert into session_commands (id, session_id, status, argv, change)
                    values (:id, :session, 'running', cast(:argv as jsonb), :change)""")
                    .bind("id", id).bind("session", sessionId).bind("argv", argvJson).bind("change", nextChange(h, sessionId)).execute();
            touch(h, sessionId);
            AuditLog.record(h, caller, "session.command", sessionId + " " + id);
            return command(h, id).orElseThrow();
        });
    }

    /**
     * Commands of open sessions still running well past any end they could have had: twice the
     * session's longest command (a source is compiled, then run, each within it) and {@code grace}.
     * Their end was lost on its way from the executor.
     */
    List<CommandRow> overdueCommands(Duration grace) {
        // A session not ready gives no limit: null compares as false, and its commands are not looked at.
        return jdbi.withHandle(h -> h.createQuery("select " + COMMAND_COLUMNS + """
                , null as result from session_commands
                where status = 'running'
                  and created_at < now() - (2 * (select command_wall_time_ms from sessions s where s.id = session_id and s.status = 'ready')
                                            + :grace) * interval '1 millisecond'""")
                .bind("grace", grace.toMillis()).map((rs, ctx) -> commandRow(rs)).list());
    }

    /** Stores a command's end; false when it was no longer running (its session ended first). */
    boolean finishCommand(UUID id, String status, String resultJson, Instant at) {
        return jdbi.inTransaction(h -> {
            Optional<UUID> session = h.createQuery("select session_id from session_commands where id = :id").bind("id", id)
                    .mapTo(UUID.class).findOne();
            return session.isPresent() && h.createUpdate("""
                    update session_commands set status = :status, result = cast(:result as jsonb), finished_at = cast(:at as timestamptz),
                           change = :change
                    where id = :id and status = 'running'""")
                    .bind("id", id).bind("status", status).bind("result", resultJson).bind("at", Timestamp.from(at))
                    .bind("change", nextChange(h, session.get())).execute() == 1;
        });
    }

    /** The next number of the session's change counter; the row stays locked until the transaction ends, so numbers commit in order. */
    private static long nextChange(Handle h, UUID sessionId) {
        return h.createQuery("update sessions set command_changes = command_changes + 1 where id = :id returning command_changes")
                .bind("id", sessionId).mapTo(Long.class).one();
    }

    /**
     * The commands changed after the change {@code after}, with their results; with {@code after} null,
     * those running now. The mark is read first: every change numbered up to it has committed, so the
     * next read after it misses none.
     */
    CommandChanges commandChanges(UUID sessionId, Long after) {
        return jdbi.withHandle(h -> {
            long mark = h.createQuery("select command_changes from sessions where id = :id").bind("id", sessionId)
                    .mapTo(Long.class).one();
            List<CommandRow> rows = h.createQuery("select " + COMMAND_COLUMNS + ", result::text as result from session_commands"
                            + " where session_id = :id and change <= :mark" + (after == null ? " and status = 'running'" : " and change > :after")
                            + " order by change, id")
                    .bind("id", sessionId).bind("mark", mark).bind("after", after == null ? 0 : after)
                    .map((rs, ctx) -> commandRow(rs)).list();
            return new CommandChanges(rows, mark);
        });
    }

    Optional<CommandRow> command(UUID sessionId, UUID id) {
        return jdbi.withHandle(h -> command(h, id)).filter(c -> c.sessionId().equals(sessionId));
    }

    private static Optional<CommandRow> command(Handle h, UUID id) {
        return h.createQuery("select " + COMMAND_COLUMNS + ", result::text as result from session_commands where id = :id")
                .bind("id", id).map((rs, ctx) -> commandRow(rs)).findOne();
    }

    List<CommandRow> commands(UUID sessionId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COMMAND_COLUMNS
                        + ", null as result from session_commands where session_id = :id order by created_at, id")
                .bind("id", sessionId).map((rs, ctx) -> commandRow(rs)).list());
    }

    private static CommandRow commandRow(ResultSet rs) throws SQLException {
        return new CommandRow(rs.getObject("id", UUID.class), rs.getObject("session_id", UUID.class), rs.getString("status"),
                rs.getString("argv"), instant(rs, "created_at"), instant(rs, "finished_at"), rs.getString("result"), rs.getLong("change"));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("api_key_id", UUID.class), rs.getString("runtime"),
                new Limits(rs.getLong("memory_mb"), rs.getLong("command_wall_time_ms")),
                new Lifetime(rs.getInt("idle_timeout_s"), rs.getInt("max_lifetime_s")), rs.getString("status"),
                new Where(rs.getString("executor"), rs.getString("incarnation")),
                new Times(instant(rs, "created_at"), instant(rs, "ready_at"), instant(rs, "expires_at"), instant(rs, "ended_at")),
                rs.getString("ended_reason"), rs.getString("message"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
