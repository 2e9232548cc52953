package dev.crucible.api.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.EventStreamWriter;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.ResponseBudget;
import dev.crucible.queue.LiveOutput;
import dev.crucible.queue.OutputChunk;
import dev.crucible.queue.QueueException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/submissions/{id}/events}: the submission as it is now, then one event per change,
 * until it is final, and while it runs its output as it comes ({@code event: output}, chunks the
 * executor sent to {@link LiveOutput}). Changes stored by this process wake the stream at once; the
 * row is re-read every second as well, for changes stored by another api instance, and the live
 * output every {@link #LIVE_POLL}. A key revoked meanwhile ends the stream within that second, with
 * nothing more sent.
 *
 * <p>Output chunks of a run come after the event that says the submission runs and before its final
 * state; a stream opened on a final submission has no chunks (the result holds the output).
 *
 * <p>Every event's id is {@code <n>.<live>}: n counts the events, and live is the last output chunk
 * sent ({@code 0} before one). A client reconnecting with {@code Last-Event-ID} gets the state first,
 * as always, and then only the output it had not got.
 */
final class SubmissionEventStream {
    private static final Logger log = LoggerFactory.getLogger(SubmissionEventStream.class);
    /** A stream ends after this even if the submission does not; clients reconnect and get the state first. */
    static final Duration LONGEST = Duration.ofMinutes(10);
    /** How often a running submission's live output is looked at. */
    static final Duration LIVE_POLL = Duration.ofMillis(100);
    private static final int LIVE_PAGE = 64;

    private final SubmissionService service;
    private final SubmissionStore store;
    private final ChangeSignals signals;
    private final ObjectMapper mapper;
    private final ResponseBudget responses;
    private final LiveOutput live;

    SubmissionEventStream(SubmissionService service, SubmissionStore store, ChangeSignals signals, ObjectMapper mapper,
                          ResponseBudget responses, LiveOutput live) {
        this.service = service;
        this.store = store;
        this.signals = signals;
        this.mapper = mapper;
        this.responses = responses;
        this.live = live;
    }

    /**
     * Checks access now, so a wrong id or key answers 404 before the stream starts.
     *
     * @param lastEventId the {@code Last-Event-ID} of a reconnecting client; null, or one not of this stream's making, starts afresh
     */
    Response open(Caller caller, UUID id, String lastEventId) {
        service.get(caller, id);
        return new Response(200, new Response.Stream("text/event-stream", out -> new Writer(caller, id, out, lastEventId).write()));
    }

    /** One stream's state: what it sent, and where it is in the live output. */
    private final class Writer {
        private final Caller caller;
        private final UUID id;
        private final EventStreamWriter out;
        /**
         * Whether the live output is read: once the submission was seen unfinished and is no longer
         * queued, until Redis fails. A submission final when the stream opened has none.
         */
        private boolean watchingOutput;
        private boolean seenUnfinished;
        private boolean liveFailed;

        Writer(Caller caller, UUID id, OutputStream out, String lastEventId) {
            this.caller = caller;
            this.id = id;
            this.out = EventStreamWriter.withLiveOutput(out, lastEventId);
        }

        void write() throws IOException {
            // A comment first, so the headers pass every proxy at once rather than with the first change.
            out.comment("stream of submission " + id);
            long started = System.nanoTime();
            String lastSent = null;
            while (System.nanoTime() - started < LONGEST.toNanos()) {
                if (out.sent() > 0 && !service.keyHolds(caller)) {
                    return;
                }
                CompletableFuture<Void> changed = signals.next(id);
                SubmissionRecord current;
                String json;
                // A state is read and sent within the response budget, as a GET is; while it is spent, the stream waits.
                try (ResponseBudget.Held _ = responses.admit(store.storedBytes(id, caller))) {
                    current = service.get(caller, id);
                    json = mapper.writeValueAsString(SubmissionView.of(current));
                } catch (ApiException.ServiceUnavailable budgetSpent) {
                    out.heartbeatIfDue();
                    continue;
                }
                seenUnfinished |= !current.isFinal();
                watchingOutput = seenUnfinished && !liveFailed && current.status() != Status.QUEUED;
                if (current.isFinal()) {
                    // The executor's last chunks reached Redis before its result: they go before the final state.
                    sendOutput();
                }
                if (!json.equals(lastSent)) {
                    out.event("submission", json);
                    lastSent = json;
                }
                if (current.isFinal()) {
                    return;
                }
                out.heartbeatIfDue();
                if (!awaitChange(changed)) {
                    return; // interrupted: the server is stopping
                }
            }
        }

        /** Waits until the row changes here or {@link ChangeSignals#RECHECK} passes, sending live output meanwhile. */
        private boolean awaitChange(CompletableFuture<Void> changed) throws IOException {
            long until = System.nanoTime() + ChangeSignals.RECHECK.toNanos();
            while (!changed.isDone()) {
                Duration left = Duration.ofNanos(until - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    return true;
                }
                sendOutput();
                if (!ChangeSignals.await(changed, watchingOutput && LIVE_POLL.compareTo(left) < 0 ? LIVE_POLL : left)) {
                    return false;
                }
            }
            return true;
        }

        /** The live output not sent yet, if it is watched. */
        private void sendOutput() throws IOException {
            while (watchingOutput) {
                LiveOutput.Page page;
                try {
                    page = live.read(id, out.liveAfter(), LIVE_PAGE);
                } catch (QueueException e) {
                    // Watchers lose the live view, not the result: the final state still comes, with the output.
                    log.warn("live output of submission {} is not shown: {}", id, e.getMessage());
                    watchingOutput = false;
                    liveFailed = true;
                    return;
                }
                for (LiveOutput.Entry entry : page.chunks()) {
                    out.liveAfter(entry.id());
                    out.event("output", mapper.writeValueAsString(view(entry.chunk())));
                }
                out.liveAfter(page.last());
                if (page.chunks().size() < LIVE_PAGE) {
                    return;
                }
            }
        }
    }

    /** A chunk as the contract's OutputChunk: only the parts that apply. */
    private static Map<String, Object> view(OutputChunk chunk) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("stage", chunk.stage().wireName());
        if (chunk.test() != null) {
            view.put("test", chunk.test());
        }
        if (chunk.run() != null) {
            view.put("run", chunk.run());
        }
        view.put("stream", chunk.stream().wireName());
        view.put("text", chunk.text());
        if (chunk.capped()) {
            view.put("capped", true);
        }
        return view;
    }
}
