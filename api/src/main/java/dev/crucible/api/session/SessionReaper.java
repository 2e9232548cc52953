package dev.crucible.api.session;

import dev.crucible.api.submission.ChangeSignals;
import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.ExecutorRegistry;
import dev.crucible.queue.QueueException;
import dev.crucible.queue.SessionDispatch;
import dev.crucible.queue.SessionRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the sessions their executor cannot: those whose executor went quiet ({@code executor_lost}),
 * starts no executor took in time ({@code start_failed}), and, as a backstop, any still open well past
 * its maximum lifetime (its executor missed it, or its report was lost).
 */
public final class SessionReaper {
    private static final Logger log = LoggerFactory.getLogger(SessionReaper.class);
    private static final Duration PERIOD = Duration.ofSeconds(1);
    /** Past its deadline, the executor's own end is waited for this long. */
    private static final Duration DEADLINE_GRACE = Duration.ofSeconds(10);
    /**
     * Past twice its timeout, how long a command's end is waited for: its source's upload (30 s), both
     * steps' kill grace and stop (2 × 10 s), the live output's last flushes (2 × 2 s), and a margin.
     */
    static final Duration COMMAND_GRACE = Duration.ofSeconds(90);

    private final SessionStore store;
    private final ExecutorRegistry executors;
    private final SessionDispatch dispatch;
    private final ChangeSignals signals;
    private final Duration lostAfter;
    private final Clock clock;
    private final Loop loop;

    public SessionReaper(SessionStore store, ExecutorRegistry executors, SessionDispatch dispatch, ChangeSignals signals,
                         Duration lostAfter, Clock clock) {
        this.store = store;
        this.dispatch = dispatch;
        this.executors = executors;
        this.signals = signals;
        this.lostAfter = lostAfter;
        this.clock = clock;
        this.loop = new Loop("session-reaper", Loop.Pacing.every(PERIOD), this::reap,
                e -> log.warn("session reaper: {}", e.getMessage()));
    }

    public void start() {
        loop.start();
    }

    public void stop(Duration within) throws InterruptedException {
        loop.stop(within);
    }

    /** Its executor lives but missed the end: it is told, so that the sandbox goes now, not at some later deadline. */
    private void endOnExecutor(SessionStore.Row session) {
        try {
            dispatch.send(session.where().executor(), new SessionRequest.End(session.id(), "max_lifetime"));
        } catch (QueueException e) {
            log.warn("cannot tell {} to end session {}: {}", session.where().executor(), session.id(), e.getMessage());
        }
    }

    void reap() {
        Instant now = clock.instant();
        for (SessionStore.Row session : store.open()) {
            String reason = null;
            String message = null;
            if (session.status().equals("starting")) {
                if (now.isAfter(session.times().createdAt().plus(SessionsResource.START_DEADLINE).plus(DEADLINE_GRACE))) {
                    reason = "start_failed";
                    message = "no executor had room to start it within " + SessionsResource.START_DEADLINE.toSeconds() + " s";
                }
            } else {
                Optional<Instant> beat = executors.lastBeat(session.where().executor());
                if (beat.isEmpty() || beat.get().plus(lostAfter).isBefore(now)) {
                    reason = "executor_lost";
                    message = "its executor " + session.where().executor() + " sent no heartbeat for " + lostAfter.toSeconds() + " s";
                } else if (now.isAfter(session.times().createdAt().plusSeconds(session.lifetime().maxLifetimeS()).plus(DEADLINE_GRACE))) {
                    // Idleness only its executor can judge (a long command keeps a session busy); the lifetime anyone can.
                    reason = "max_lifetime";
                    message = "ended by the api: its executor did not report its end";
                }
            }
            if (reason != null && store.markEnded(session.id(), reason, message, now)) {
                log.warn("session {} ended: {} ({})", session.id(), reason, message);
                signals.changed(session.id());
                if (reason.equals("max_lifetime")) {
                    endOnExecutor(session);
                }
            }
        }
        for (SessionStore.CommandRow command : store.overdueCommands(COMMAND_GRACE)) {
            if (store.finishCommand(command.id(), "lost", null, now)) {
                log.warn("command {} of session {} is lost: its executor never reported its end", command.id(), command.sessionId());
                signals.changed(command.id());
                signals.changed(command.sessionId());
            }
        }
    }
}
