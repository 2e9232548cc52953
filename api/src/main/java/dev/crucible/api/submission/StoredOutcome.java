package dev.crucible.api.submission;

import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A completed submission's outcome, read from its row: mapped as the {@code verdict} column, which
 * the table sets exactly when the submission is completed, from that column and its siblings.
 */
final class StoredOutcome implements ColumnMapper<ExecutionEvent.Outcome> {
    @Override
    public ExecutionEvent.Outcome map(ResultSet rs, int verdictColumn, StatementContext ctx) throws SQLException {
        String verdict = rs.getString(verdictColumn);
        if (verdict == null) {
            return null;
        }
        var usage = rs.getObject("peak_memory_kb") == null ? null
                : new ExecutionEvent.Usage((Long) rs.getObject("cpu_time_ms"), rs.getLong("peak_memory_kb"));
        var result = new ExecutionEvent.ProgramResult(Verdict.ofWireName(verdict), (Integer) rs.getObject("exit_code"),
                rs.getString("signal"), (Long) rs.getObject("wall_time_ms"), usage);
        var output = new ExecutionEvent.Output(rs.getBytes("stdout"), rs.getLong("stdout_truncated_bytes"),
                rs.getBytes("stderr"), rs.getLong("stderr_truncated_bytes"));
        var diagnostics = new ExecutionEvent.Diagnostics(rs.getString("message"), rs.getBytes("compile_output"));
        return new ExecutionEvent.Outcome(result, output, diagnostics,
                StoredJson.read(rs.getString("test_results"), StoredJson.TESTS),
                StoredJson.read(rs.getString("run_results"), StoredJson.RUNS),
                StoredJson.read(rs.getString("output_files"), StoredJson.OUTPUT_FILES),
                new ExecutionEvent.Context(instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                        StoredJson.read(rs.getString("provenance"), StoredJson.PROVENANCE), stageTimings(rs)),
                StoredJson.read(rs.getString("test_cases"), StoredJson.TEST_CASES));
    }

    /** The executor's timings, or null when it reported none (an executor older than timings). */
    private static ExecutionEvent.StageTimings stageTimings(ResultSet rs) throws SQLException {
        var timings = new ExecutionEvent.StageTimings((Long) rs.getObject("compile_ms"), (Long) rs.getObject("create_ms"),
                (Long) rs.getObject("start_ms"), (Long) rs.getObject("run_ms"), (Long) rs.getObject("teardown_ms"),
                rs.getString("pool"));
        return timings.equals(new ExecutionEvent.StageTimings(null, null, null, null, null, null)) ? null : timings;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
