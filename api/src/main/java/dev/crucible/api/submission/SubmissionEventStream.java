package dev.crucible.api.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.ResponseBudget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/submissions/{id}/events}: the submission as it is now, then one event per change,
 * until it is final. Changes stored by this process wake the stream at once; the row is re-read
 * every second as well, for changes stored by another api instance. A key revoked meanwhile ends
 * the stream within that second, with nothing more sent.
 */
final class SubmissionEventStream {
    /** Well inside nginx's and most proxies' idle timeouts (60 s by default). */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** A stream ends after this even if the submission does not; clients reconnect and get the state first. */
    static final Duration LONGEST = Duration.ofMinutes(10);

    private final SubmissionService service;
    private final SubmissionStore store;
    private final ChangeSignals signals;
    private final ObjectMapper mapper;
    private final ResponseBudget responses;

    SubmissionEventStream(SubmissionService service, SubmissionStore store, ChangeSignals signals, ObjectMapper mapper,
                          ResponseBudget responses) {
        this.service = service;
        this.store = store;
        this.signals = signals;
        this.mapper = mapper;
        this.responses = responses;
    }

    /** Checks access now, so a wrong id or key answers 404 before the stream starts. */
    Response open(Caller caller, UUID id) {
        service.get(caller, id);
        return new Response(200, new Response.Stream("text/event-stream", out -> write(caller, id, out)));
    }

    private void write(Caller caller, UUID id, OutputStream out) throws IOException {
        // A comment first, so the headers pass every proxy at once rather than with the first change.
        send(out, ": stream of submission " + id + "\n\n");
        long started = System.nanoTime();
        long lastWrite = started;
        String lastSent = null;
        int sent = 0;
        while (System.nanoTime() - started < LONGEST.toNanos()) {
            if (sent > 0 && !service.keyHolds(caller)) {
                return;
            }
            CompletableFuture<Void> changed = signals.next(id);
            SubmissionRecord current;
            // A state is read and sent within the response budget, as a GET is; while it is spent, the stream waits.
            try (ResponseBudget.Held _ = responses.admit(store.storedBytes(id, caller))) {
                current = service.get(caller, id);
                String json = mapper.writeValueAsString(SubmissionView.of(current));
                if (!json.equals(lastSent)) {
                    send(out, "event: submission\nid: " + ++sent + "\ndata: " + json + "\n\n");
                    lastSent = json;
                    lastWrite = System.nanoTime();
                }
            } catch (ApiException.ServiceUnavailable budgetSpent) {
                if (System.nanoTime() - lastWrite >= HEARTBEAT.toNanos()) {
                    send(out, ": keep-alive\n\n");
                    lastWrite = System.nanoTime();
                }
                continue;
            }
            if (current.isFinal()) {
                return;
            }
            if (System.nanoTime() - lastWrite >= HEARTBEAT.toNanos()) {
                send(out, ": keep-alive\n\n");
                lastWrite = System.nanoTime();
            }
            if (!ChangeSignals.await(changed, ChangeSignals.RECHECK)) {
                return; // interrupted: the server is stopping
            }
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
