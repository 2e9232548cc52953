package dev.crucible.executor.session;

import dev.crucible.executor.live.LiveFeed;
import dev.crucible.executor.sandbox.SandboxException;
import dev.crucible.executor.sandbox.SessionSandboxes;
import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.QueueException;
import dev.crucible.queue.SessionEvent;
import dev.crucible.queue.SessionInbox;
import dev.crucible.queue.SessionReply;
import dev.crucible.queue.SessionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this executor holds. Three loops: one takes session starts while there is room, one
 * takes the requests for the sessions held here (each handled on a virtual thread of its own), one
 * ends sessions at their idle or lifetime deadline, or when their sandbox died. Every end removes the
 * sandbox and is reported once.
 */
public final class SessionHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionHost.class);
    private static final Duration BLOCK = Duration.ofSeconds(2);
    private static final Duration EXPIRY_CHECK = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(10);

    /**
     * @param maxSessions sessions held at once
     * @param stdoutBytes a command's stdout kept at most; as much again of stderr
     * @param live        where commands' output goes while they run, and how much of each command's
     */
    public record Settings(int maxSessions, long stdoutBytes, LiveFeed.Settings live) {}

    private final SessionInbox inbox;
    private final SessionSandboxes sandboxes;
    private final SessionCommands commands;
    private final Settings settings;
    private final String executor;
    private final String incarnation = UUID.randomUUID().toString();
    private final Clock clock;
    private final LongSupplier nanos;
    private final Map<UUID, LiveSession> sessions = new ConcurrentHashMap<>();
    private final Loop opens;
    private final Loop requests;
    private final Loop expiry;

    public SessionHost(SessionInbox inbox, SessionSandboxes sandboxes, Settings settings, String executor, Clock clock) {
        this(inbox, sandboxes, settings, executor, clock, System::nanoTime);
    }

    SessionHost(SessionInbox inbox, SessionSandboxes sandboxes, Settings settings, String executor, Clock clock, LongSupplier nanos) {
        this.inbox = inbox;
        this.sandboxes = sandboxes;
        this.commands = new SessionCommands(sandboxes, settings.stdoutBytes(), settings.stdoutBytes(), settings.live());
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
        this.nanos = nanos;
        this.opens = new Loop("session-opens", Loop.Pacing.continuously(RETRY), this::takeOpens, this::failed);
        this.requests = new Loop("session-requests", Loop.Pacing.continuously(RETRY), this::takeRequests, this::failed);
        this.expiry = new Loop("session-expiry", Loop.Pacing.every(EXPIRY_CHECK), this::endExpired, this::failed);
    }

    /** Says this executor started (sessions of its earlier start are lost), then takes sessions. */
    public void start() {
        inbox.publish(new SessionEvent.ExecutorStarted(executor, incarnation, clock.instant()));
        opens.start();
        requests.start();
        expiry.start();
    }

    /** Sessions held now, for metrics. */
    public int held() {
        return sessions.size();
    }

    private void failed(RuntimeException e) {
        log.warn("sessions: {} (retrying in {})", e.getMessage(), RETRY);
    }

    private void takeOpens() throws InterruptedException {
        int room = settings.maxSessions() - sessions.size();
        if (room <= 0) {
            opens.pause(EXPIRY_CHECK);
            return;
        }
        for (SessionInbox.Delivery delivery : inbox.takeOpens(1, BLOCK)) {
            // Taken is taken: a start this executor dies in is given up by the api, never started twice.
            inbox.done(delivery);
            if (delivery.request() instanceof SessionRequest.Open open) {
                open(open);
            }
        }
    }

    private void open(SessionRequest.Open open) {
        if (clock.instant().isAfter(open.notAfter())) {
            log.info("session {}: its start came after the api gave up on it, not started", open.sessionId());
            return;
        }
        SessionSandboxes.Held sandbox;
        try {
            sandbox = sandboxes.start(open.sandbox().image(), open.sandbox().memoryBytes(), "crucible-session-" + open.sessionId());
        } catch (SandboxException e) {
            log.error("session {}: cannot start its sandbox: {}", open.sessionId(), e.getMessage());
            publish(new SessionEvent.Ended(open.sessionId(), "start_failed", "no sandbox could be started: " + e.getMessage(),
                    clock.instant()));
            return;
        }
        LiveSession session = new LiveSession(open.sessionId(), sandbox, open.sandbox(), open.lifetime(), nanos.getAsLong());
        sessions.put(session.id, session);
        for (SessionRequest.File file : open.files()) {
            SessionReply written;
            try {
                written = commands.put(session, file);
            } catch (SandboxException e) {
                written = SessionReply.refused(SessionReply.Refusal.FAILED, e.getMessage());
            }
            if (written.refusal() != null) {
                end(session, "start_failed", "cannot write " + file.path() + ": " + written.message());
                return;
            }
        }
        log.info("session {} ready in {}", session.id, sandbox.name());
        publish(new SessionEvent.Ready(session.id, executor, incarnation, clock.instant()));
    }

    private void takeRequests() {
        for (SessionInbox.Delivery delivery : inbox.take(16, BLOCK)) {
            // Acknowledged at once: a request is for a session that lives only as long as this process.
            inbox.done(delivery);
            Thread.ofVirtual().name("session-" + delivery.request().sessionId()).start(() -> handle(delivery.request()));
        }
    }

    private void handle(SessionRequest request) {
        LiveSession session = sessions.get(request.sessionId());
        try {
            switch (request) {
                // Starts come on the stream every executor reads, within its room; one here was not sent by an api.
                case SessionRequest.Open open -> log.warn("session {}: a start on this executor's own stream, ignored", open.sessionId());
                case SessionRequest.Run run -> runCommand(session, run);
                case SessionRequest.PutFile put -> reply(put.replyTo(), session, () -> commands.put(session, put.file()));
                case SessionRequest.GetFile get -> reply(get.replyTo(), session, () -> commands.get(session, get));
                case SessionRequest.ListFiles list -> reply(list.replyTo(), session, () -> commands.list(session, list));
                case SessionRequest.KeepAlive _ -> {
                    if (session != null) {
                        session.touch(nanos.getAsLong());
                    }
                }
                case SessionRequest.End end -> {
                    if (session != null) {
                        end(session, end.reason(), null);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("session {}: {} failed: {}", request.sessionId(), request.getClass().getSimpleName(), e.toString());
        }
    }

    private void reply(String replyTo, LiveSession session, Supplier<SessionReply> operation) {
        SessionReply reply;
        if (session == null) {
            reply = SessionReply.refused(SessionReply.Refusal.NO_SESSION, "the session is not held here (it ended)");
        } else {
            session.commandStarted();
            try {
                reply = operation.get();
            } catch (SandboxException e) {
                reply = SessionReply.refused(SessionReply.Refusal.FAILED, e.getMessage());
            } finally {
                session.commandEnded(nanos.getAsLong());
            }
        }
        inbox.reply(replyTo, reply);
    }

    private void runCommand(LiveSession session, SessionRequest.Run run) {
        if (session == null) {
            publish(new SessionEvent.CommandFinished(run.sessionId(), run.commandId(), null, null,
                    "the session ended before the command could run", clock.instant()));
            return;
        }
        session.commandStarted();
        SessionCommands.Result result;
        try {
            result = commands.run(session, run);
        } catch (SandboxException e) {
            result = new SessionCommands.Result(null, null, "the sandbox failed to run the command: " + e.getMessage(), false, false);
        } finally {
            session.commandEnded(nanos.getAsLong());
        }
        if (session.ended()) {
            // Its sandbox went with the session's end: what the host saw then is that, not the command's own doing.
            result = new SessionCommands.Result(null, null, "the session ended while the command ran", false, false);
        }
        publish(new SessionEvent.CommandFinished(run.sessionId(), run.commandId(), result.result(), result.output(), result.message(),
                clock.instant()));
        if (result.unkillable()) {
            end(session, "command_unkillable", "command " + run.commandId() + " outlived its timeout and its kill");
        } else if (result.outOfMemory()) {
            end(session, "out_of_memory", "the sandbox ran out of memory");
        }
    }

    private void endExpired() {
        long now = nanos.getAsLong();
        for (LiveSession session : List.copyOf(sessions.values())) {
            String reason = session.expiry(clock.instant(), now);
            if (reason != null) {
                end(session, reason, null);
            } else if (!sandboxes.alive(session.sandbox)) {
                end(session, "out_of_memory", "the sandbox stopped: its memory ran out");
            }
        }
    }

    private void end(LiveSession session, String reason, String message) {
        if (!session.markEnded()) {
            return;
        }
        sessions.remove(session.id);
        sandboxes.remove(session.sandbox);
        log.info("session {} ended: {}", session.id, reason);
        publish(new SessionEvent.Ended(session.id, reason, message, clock.instant()));
    }

    private void publish(SessionEvent event) {
        try {
            inbox.publish(event);
        } catch (QueueException e) {
            // The api's reaper ends a session that stays open past its deadline or whose executor went quiet.
            log.error("cannot report {}: {}", event, e.getMessage());
        }
    }

    /** Stops taking sessions and ends those held: their sandboxes go with this executor. */
    @Override
    public void close() throws InterruptedException {
        opens.stop(STOP_WITHIN);
        requests.stop(STOP_WITHIN);
        expiry.stop(STOP_WITHIN);
        for (LiveSession session : List.copyOf(sessions.values())) {
            end(session, "executor_lost", "the executor that held it stopped");
        }
    }
}
