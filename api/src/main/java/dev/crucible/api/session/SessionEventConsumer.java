package dev.crucible.api.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.model.Command;
import dev.crucible.api.model.CommandStatus;
import dev.crucible.api.model.Verdict;
import dev.crucible.api.submission.ChangeSignals;
import dev.crucible.api.submission.SubmissionView;
import dev.crucible.lifecycle.Loop;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.QueueException;
import dev.crucible.queue.SessionDispatch;
import dev.crucible.queue.SessionEvent;
import dev.crucible.queue.SessionEventSource;
import dev.crucible.queue.SessionRequest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores what executors report about sessions, then acknowledges it; wakes requests waiting on it. */
public final class SessionEventConsumer {
    private static final Logger log = LoggerFactory.getLogger(SessionEventConsumer.class);
    private static final Duration BLOCK = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final SessionEventSource source;
    private final SessionStore store;
    private final SessionDispatch dispatch;
    private final ChangeSignals signals;
    private final ObjectMapper mapper;
    private final Loop loop;

    public SessionEventConsumer(SessionEventSource source, SessionStore store, SessionDispatch dispatch, ChangeSignals signals,
                                ObjectMapper mapper) {
        this.source = source;
        this.store = store;
        this.dispatch = dispatch;
        this.signals = signals;
        this.mapper = mapper;
        this.loop = new Loop("session-events", Loop.Pacing.continuously(RETRY), this::takeEvents,
                e -> log.warn("session events: {} (retrying in {})", e.getMessage(), RETRY));
    }

    public void start() {
        loop.start();
    }

    public void stop(Duration within) throws InterruptedException {
        loop.stop(within);
    }

    private void takeEvents() {
        for (SessionEventSource.Delivery delivery : source.take(32, BLOCK)) {
            store(delivery.event());
            source.acknowledge(delivery);
        }
    }

    void store(SessionEvent event) {
        switch (event) {
            case SessionEvent.Ready ready -> {
                if (!store.markReady(ready.sessionId(), ready.executor(), ready.incarnation(), ready.at())) {
                    // Ended (deleted, or given up) before its sandbox was up: the sandbox goes now.
                    endOn(ready.executor(), ready.sessionId());
                }
                signals.changed(ready.sessionId());
            }
            case SessionEvent.Ended ended -> {
                store.markEnded(ended.sessionId(), ended.reason(), ended.message(), ended.at());
                signals.changed(ended.sessionId());
            }
            case SessionEvent.CommandFinished finished -> {
                String status = finished.result() == null ? "lost" : "finished";
                store.finishCommand(finished.commandId(), status, json(command(finished)), finished.at());
                // The executor counts idleness from a command's end: so does the deadline shown.
                store.touch(finished.sessionId());
                signals.changed(finished.commandId());
                signals.changed(finished.sessionId());
            }
            case SessionEvent.ExecutorStarted started -> {
                for (UUID id : store.heldByEarlierStart(started.executor(), started.incarnation())) {
                    store.markEnded(id, "executor_lost", "its executor " + started.executor() + " restarted", started.at());
                    signals.changed(id);
                }
            }
        }
    }

    private void endOn(String executor, UUID sessionId) {
        try {
            dispatch.send(executor, new SessionRequest.End(sessionId, "deleted"));
        } catch (QueueException e) {
            log.warn("cannot tell {} to end session {}: {} (it ends at its idle deadline)", executor, sessionId, e.getMessage());
        }
    }

    /** The command as the API shows it; its row adds id, status, argv and times when it is read. */
    private static Command command(SessionEvent.CommandFinished finished) {
        Command command = new Command(finished.commandId(), finished.sessionId(), finished.result() == null ? CommandStatus.LOST
                : CommandStatus.FINISHED, finished.at().atOffset(ZoneOffset.UTC));
        command.message(finished.message());
        ExecutionEvent.ProgramResult result = finished.result();
        if (result != null) {
            command.verdict(Verdict.fromValue(result.verdict().wireName())).exitCode(result.exitCode()).signal(result.signal())
                    .wallTimeMs(result.wallTimeMs());
            if (result.usage() != null) {
                command.cpuTimeMs(result.usage().cpuTimeMs()).peakMemoryKb(result.usage().peakMemoryKb());
            }
        }
        ExecutionEvent.Output output = finished.output();
        if (output != null) {
            SubmissionView.Text stdout = SubmissionView.text(output.stdout());
            SubmissionView.Text stderr = SubmissionView.text(output.stderr());
            command.stdout(stdout.value()).stdoutEncoding(stdout.encoding()).stdoutTruncatedBytes(output.stdoutTruncatedBytes())
                    .stderr(stderr.value()).stderrEncoding(stderr.encoding()).stderrTruncatedBytes(output.stderrTruncatedBytes());
        }
        return command;
    }

    private String json(Command command) {
        try {
            return mapper.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write command " + command.getId(), e);
        }
    }
}
