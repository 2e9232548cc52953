package dev.crucible.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.crucible.api.ScratchSchema;
import dev.crucible.api.admission.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A session's time in its key's sandbox-time budgets, on a PostgreSQL of the store tests' own. */
class SessionAccountingIT {
    private final ScratchSchema schema = new ScratchSchema("submitter", 1000, 1000);
    private final Admission admission = new Admission(1000, new SimpleMeterRegistry());

    @AfterEach
    void dropTheSchema() {
        schema.close();
    }

    /** A session of the key that started {@code minutesAgo} and is still open, or ended {@code endedMinutesAgo}. */
    private void session(int minutesAgo, Integer endedMinutesAgo) {
        schema.jdbi().useHandle(h -> h.createUpdate("""
                insert into sessions (id, api_key_id, runtime, memory_mb, command_wall_time_ms, idle_timeout_s, max_lifetime_s,
                                      status, expires_at, sandbox_ms, created_at, ready_at, ended_at, ended_reason)
                values (:id, :key, 'python', 256, 1000, 3600, 86400, :status, now() + interval '1 hour', 0,
                        now() - :ago * interval '1 minute', now() - :ago * interval '1 minute',
                        now() - :ended * interval '1 minute', :reason)""")
                .bind("id", UUID.randomUUID()).bind("key", schema.keyId()).bind("ago", minutesAgo)
                .bind("status", endedMinutesAgo == null ? "ready" : "ended").bind("ended", endedMinutesAgo)
                .bind("reason", endedMinutesAgo == null ? null : "deleted").execute());
    }

    private Admission.Decision check() {
        return schema.jdbi().inTransaction(h -> admission.check(h, schema.keyId(), List.of(0L)));
    }

    private void hourlyBudget(long ms) {
        schema.jdbi().useHandle(h -> h.execute("update api_keys set sandbox_ms_per_hour = ? where id = ?", ms, schema.keyId()));
    }

    @Test
    void aSessionOpenLongerThanTheWindowCountsItsWholeHour() {
        hourlyBudget(50 * 60_000);
        session(120, null);
        Admission.Decision decision = check();
        assertEquals(Admission.Window.HOUR, assertInstanceOf(Admission.OverSandboxBudget.class, decision).window(), decision.toString());
    }

    @Test
    void aSessionCountsOnlyItsLifeWithinTheWindow() {
        hourlyBudget(50 * 60_000);
        // 90 minutes of life, of which 40 in the last hour.
        session(110, 20);
        assertInstanceOf(Admission.Admitted.class, check());
    }

    @Test
    void sessionStartsCountInTheKeysRatePerMinute() {
        schema.jdbi().useHandle(h -> h.execute("update api_keys set rate_per_minute = 2 where id = ?", schema.keyId()));
        session(0, null);
        session(0, 0);
        assertInstanceOf(Admission.OverRate.class, check());
    }
}
