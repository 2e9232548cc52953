package dev.crucible.api.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.auth.KeyValidity;
import dev.crucible.api.http.EventStreamWriter;
import dev.crucible.api.http.Response;
import dev.crucible.api.model.Command;
import dev.crucible.api.submission.ChangeSignals;
import dev.crucible.queue.LiveOutput;
import dev.crucible.queue.OutputChunk;
import dev.crucible.queue.QueueException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/sessions/{id}/events}: the session as it is now and its commands running, then each
 * change (the session's status, a command starting or ending, in the order they were stored), and
 * while commands run their output as it comes, each chunk before its command's end. Ends after the
 * session's end, or after {@link #LONGEST}.
 *
 * <p>Changes stored by this process wake the stream at once; the rows are re-read every
 * {@link ChangeSignals#RECHECK} as well, for changes stored by another api instance. Output is read
 * from the session's live output every {@link #LIVE_POLL} while a command it announced runs. Event
 * ids are {@code <n>.<live>.<mark>} ({@link EventStreamWriter}): a reconnecting client gets the
 * session's state first, then the command changes after the last it was told of, and only the output
 * it had not got.
 */
final class SessionEventStream {
    private static final Logger log = LoggerFactory.getLogger(SessionEventStream.class);
    static final Duration LONGEST = Duration.ofMinutes(10);
    static final Duration LIVE_POLL = Duration.ofMillis(100);
    private static final int LIVE_PAGE = 64;

    private final SessionStore store;
    private final ChangeSignals signals;
    private final ObjectMapper mapper;
    private final LiveOutput live;
    private final KeyValidity keys;
    private final Function<SessionStore.CommandRow, Command> commandView;

    SessionEventStream(SessionStore store, ChangeSignals signals, ObjectMapper mapper, LiveOutput live, KeyValidity keys,
                       Function<SessionStore.CommandRow, Command> commandView) {
        this.store = store;
        this.signals = signals;
        this.mapper = mapper;
        this.live = live;
        this.keys = keys;
        this.commandView = commandView;
    }

    /** @param session found for the caller already, so a wrong id or key answered 404 before the stream starts */
    Response open(Caller caller, SessionStore.Row session, String lastEventId) {
        return new Response(200, new Response.Stream("text/event-stream",
                out -> new Writer(caller, session.id(), out, lastEventId).write()));
    }

    private final class Writer {
        private final Caller caller;
        private final UUID id;
        private final EventStreamWriter out;
        /** The session's change counter read last: changes after it are read next. */
        private long mark;
        /** Commands told as running whose end is not told yet: their output is sent. */
        private final Set<UUID> running = new HashSet<>();
        /** Ends read, told once the output before them is sent. */
        private final List<SessionStore.CommandRow> ends = new ArrayList<>();
        /** Commands whose output is not this stream's to send: they ended before it was opened. */
        private final Set<UUID> passedOver = new HashSet<>();
        private boolean liveFailed;

        Writer(Caller caller, UUID id, OutputStream out, String lastEventId) {
            this.caller = caller;
            this.id = id;
            this.out = EventStreamWriter.withLiveOutput(out, lastEventId);
        }

        /**
         * Every connection tells, after the session, the commands running now, as state; then the changes
         * after its mark: a fresh one's is the counter as those were read (so even its first event's id
         * carries it), a resumed one's the last it told.
         */
        void write() throws IOException {
            out.comment("stream of session " + id);
            long started = System.nanoTime();
            String lastSession = null;
            SessionStore.CommandChanges runningNow = store.commandChanges(id, null);
            mark = out.mark() != null ? out.mark() : runningNow.mark();
            out.mark(mark);
            List<SessionStore.CommandRow> state = runningNow.commands();
            while (System.nanoTime() - started < LONGEST.toNanos()) {
                if (out.sent() > 0 && !keys.holds(caller.keyId())) {
                    return;
                }
                CompletableFuture<Void> changed = signals.next(id);
                SessionStore.Row session = store.find(id).orElseThrow();
                boolean ended = session.status().equals("ended");
                String json = mapper.writeValueAsString(SessionsResource.view(session));
                // An end goes after the last commands it lost, so that it is the stream's last word.
                if (!ended && !json.equals(lastSession)) {
                    out.event("session", json);
                    lastSession = json;
                }
                for (SessionStore.CommandRow command : state) {
                    tellRunning(command);
                }
                state = List.of();
                readCommandChanges();
                sendOutput();
                sendEnds();
                if (ended) {
                    out.event("session", json);
                    return;
                }
                out.heartbeatIfDue();
                if (!awaitChange(changed)) {
                    return;
                }
            }
        }

        /** Tells new commands as running now; keeps ends for after their output. */
        private void readCommandChanges() throws IOException {
            SessionStore.CommandChanges changes = store.commandChanges(id, mark);
            mark = changes.mark();
            for (SessionStore.CommandRow command : changes.commands()) {
                if (command.status().equals("running")) {
                    tellRunning(command);
                } else {
                    ends.add(command);
                }
            }
            if (ends.isEmpty()) {
                out.mark(mark);
            }
        }

        private void tellRunning(SessionStore.CommandRow command) throws IOException {
            if (running.add(command.id())) {
                out.event("command", mapper.writeValueAsString(commandView.apply(command)));
            }
        }

        private void sendEnds() throws IOException {
            for (SessionStore.CommandRow command : ends) {
                running.remove(command.id());
                passedOver.add(command.id());
                out.event("command", mapper.writeValueAsString(commandView.apply(command)));
            }
            ends.clear();
            // Told through the mark only now: a client resuming from an earlier event is told these ends again.
            out.mark(mark);
        }

        private boolean awaitChange(CompletableFuture<Void> changed) throws IOException {
            long until = System.nanoTime() + ChangeSignals.RECHECK.toNanos();
            while (!changed.isDone()) {
                Duration left = Duration.ofNanos(until - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    return true;
                }
                sendOutput();
                if (!ends.isEmpty()) {
                    return true; // ends read meanwhile go out now, after their output
                }
                boolean watching = !running.isEmpty() && !liveFailed;
                if (!ChangeSignals.await(changed, watching && LIVE_POLL.compareTo(left) < 0 ? LIVE_POLL : left)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The live output not sent yet, of commands this stream tells of. A chunk of a command it does not
         * know yet (started through another api instance) makes it read the changes once per page: the
         * command's row was stored before it could print, so if that read does not show it, it ended before
         * the stream was opened.
         */
        private void sendOutput() throws IOException {
            while (!liveFailed && (!running.isEmpty() || !ends.isEmpty())) {
                LiveOutput.Page page;
                try {
                    page = live.read(id, out.liveAfter(), LIVE_PAGE);
                } catch (QueueException e) {
                    log.warn("live output of session {} is not shown: {}", id, e.getMessage());
                    liveFailed = true;
                    return;
                }
                boolean readChanges = false;
                for (LiveOutput.Entry entry : page.chunks()) {
                    out.liveAfter(entry.id());
                    UUID command = entry.chunk().command();
                    if (command == null || passedOver.contains(command)) {
                        continue;
                    }
                    if (!tells(command) && !readChanges) {
                        readCommandChanges();
                        readChanges = true;
                    }
                    if (tells(command)) {
                        out.event("output", mapper.writeValueAsString(view(entry.chunk())));
                    } else {
                        passedOver.add(command);
                    }
                }
                out.liveAfter(page.last());
                if (page.chunks().size() < LIVE_PAGE) {
                    return;
                }
            }
        }

        private boolean tells(UUID command) {
            return running.contains(command) || ends.stream().anyMatch(end -> end.id().equals(command));
        }
    }

    /** A chunk as the contract's CommandOutputChunk. */
    private static Map<String, Object> view(OutputChunk chunk) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("command", chunk.command());
        view.put("stream", chunk.stream().wireName());
        view.put("text", chunk.text());
        if (chunk.capped()) {
            view.put("capped", true);
        }
        return view;
    }
}
