package dev.crucible.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crucible.api.ScratchSchema;
import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.submission.ChangeSignals;
import dev.crucible.queue.ExecutorRegistry;
import dev.crucible.queue.SessionDispatch;
import dev.crucible.queue.SessionReply;
import dev.crucible.queue.SessionRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The api's own ends of sessions and commands, on a PostgreSQL of the store tests' own. */
class SessionReaperIT {
    private static final Duration LOST_AFTER = Duration.ofSeconds(30);
    private final ScratchSchema schema = new ScratchSchema("submitter", 1000, 1000);
    private final SessionStore store = new SessionStore(schema.jdbi(), new Admission(1000, new SimpleMeterRegistry()));
    private final Caller caller = new Caller(schema.keyId(), Caller.Role.SUBMITTER, null);
    /** When the executor "exec-1" last beat; empty: never. */
    private Optional<Instant> lastBeat = Optional.of(Instant.now());
    private final List<SessionRequest> sent = new CopyOnWriteArrayList<>();
    private final SessionReaper reaper = new SessionReaper(store, new Beats(), new Sent(), new ChangeSignals(), LOST_AFTER,
            Clock.systemUTC());

    @AfterEach
    void dropTheSchema() {
        schema.close();
    }

    private UUID readySession() {
        UUID id = UUID.randomUUID();
        store.insert(id, caller, "python", new SessionStore.Limits(256, 1000), new SessionStore.Lifetime(300, 1800), 4);
        store.markReady(id, "exec-1", "start-1", Instant.now());
        return id;
    }

    private UUID commandStartedAgo(UUID session, Duration ago) {
        UUID id = UUID.randomUUID();
        store.insertCommand(id, session, caller, "[\"true\"]", 4);
        schema.jdbi().useHandle(h -> h.createUpdate("update session_commands set created_at = now() - :ms * interval '1 millisecond' where id = :id")
                .bind("ms", ago.toMillis()).bind("id", id).execute());
        return id;
    }

    private String status(UUID session, UUID command) {
        return store.command(session, command).orElseThrow().status();
    }

    @Test
    void aCommandWhoseEndNeverCameIsLostAndItsSessionGoesOn() {
        UUID session = readySession();
        // Its session's commands may take 1 s, twice for a compile and run, and the grace: five minutes is past any end.
        UUID command = commandStartedAgo(session, Duration.ofMinutes(5));
        long before = store.commandChanges(session, 0L).mark();

        reaper.reap();

        assertEquals("lost", status(session, command));
        assertEquals("ready", store.find(session).orElseThrow().status());
        assertEquals(before + 1, store.commandChanges(session, before).commands().getFirst().change(), "the event stream is told");
    }

    @Test
    void aCommandWithinItsTimeKeepsRunning() {
        UUID session = readySession();
        UUID command = commandStartedAgo(session, Duration.ofSeconds(2));

        reaper.reap();

        assertEquals("running", status(session, command));
    }

    @Test
    void aSessionWhoseExecutorStoppedBeatingEndsAsExecutorLost() {
        UUID session = readySession();
        UUID command = commandStartedAgo(session, Duration.ZERO);
        lastBeat = Optional.of(Instant.now().minus(LOST_AFTER).minusSeconds(1));

        reaper.reap();

        SessionStore.Row ended = store.find(session).orElseThrow();
        assertEquals("executor_lost", ended.endedReason());
        assertEquals("lost", status(session, command));
    }

    @Test
    void aSessionPastItsLifetimeIsEndedAndItsExecutorTold() {
        UUID session = readySession();
        schema.jdbi().useHandle(h -> h.execute("update sessions set created_at = now() - interval '1 hour', max_lifetime_s = 60 where id = ?",
                session));

        reaper.reap();

        assertEquals("max_lifetime", store.find(session).orElseThrow().endedReason());
        assertEquals(List.of(new SessionRequest.End(session, "max_lifetime")), sent);
    }

    /** What the reaper sends to executors. */
    private final class Sent implements SessionDispatch {
        @Override
        public void open(SessionRequest.Open request) {
            throw new UnsupportedOperationException("the reaper starts nothing");
        }

        @Override
        public void send(String executor, SessionRequest request) {
            assertEquals("exec-1", executor);
            sent.add(request);
        }

        @Override
        public Optional<SessionReply> ask(String executor, Function<String, SessionRequest> request, Duration timeout) {
            throw new UnsupportedOperationException("the reaper asks nothing");
        }
    }

    private final class Beats implements ExecutorRegistry {
        @Override
        public void heartbeat(String executor, boolean healthy) {
            throw new UnsupportedOperationException("the api only reads beats");
        }

        @Override
        public Optional<Instant> lastBeat(String executor) {
            return executor.equals("exec-1") ? lastBeat : Optional.empty();
        }

        @Override
        public long liveCount(Duration window) {
            return 1;
        }

        @Override
        public long healthyCount(Duration window) {
            return 1;
        }
    }
}
