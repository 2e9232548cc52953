package dev.crucible.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.api.ScratchSchema;
import dev.crucible.api.auth.ApiKeyStore;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.compat.judge0.Judge0Callbacks;
import dev.crucible.api.http.Json;
import dev.crucible.api.submission.StoredSubmissions;
import dev.crucible.api.submission.WebhookBodies;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook scheduling and delivery against the real PostgreSQL, to a receiver on loopback (allowed
 * by a test policy; the real policy refuses loopback).
 */
class WebhookDeliveryIT {
    private ScratchSchema scratch;
    private StoredSubmissions stored;
    private WebhookDeliveries store;
    private HttpServer receiver;
    private final LinkedBlockingQueue<Map<String, Object>> deliveries = new LinkedBlockingQueue<>();
    private volatile int answer = 200;

    @BeforeEach
    void setUp() throws Exception {
        scratch = new ScratchSchema("submitter", 100, 100);
        stored = new StoredSubmissions(scratch.jdbi());
        store = new WebhookDeliveries(scratch.jdbi());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(Map.of("body", body, "signature", exchange.getRequestHeaders().getFirst("X-Crucible-Signature"),
                    "method", exchange.getRequestMethod()));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
        scratch.close();
    }

    private UUID completedWithCallback() {
        return completedWithCallback(CallbackFormat.CRUCIBLE);
    }

    private UUID completedWithCallback(CallbackFormat format) {
        UUID id = UUID.randomUUID();
        Caller caller = new Caller(scratch.keyId(), Caller.Role.SUBMITTER, "127.0.0.1");
        stored.queued(id, caller, new Callback("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", format));
        Instant now = Instant.now();
        stored.finished(new ExecutionEvent.Finished(id, "executor-test", new ExecutionEvent.Outcome(
                new ExecutionEvent.ProgramResult(Verdict.ACCEPTED, 0, null, 5L, null),
                new ExecutionEvent.Output("out".getBytes(StandardCharsets.UTF_8), 0, new byte[0], 0), null, null,
                List.of(), List.of(), List.of(), new ExecutionEvent.Context(now, now, null, null))));
        return id;
    }

    private WebhookDispatcher dispatcher(AddressPolicy policy) {
        return new WebhookDispatcher(store, new WebhookBodies(stored.store()), new ApiKeyStore(scratch.jdbi()),
                Map.of(CallbackFormat.CRUCIBLE, Json.mapper()::writeValueAsBytes,
                        CallbackFormat.JUDGE0, new Judge0Callbacks(RuntimeCatalog.load(Path.of("..", "runtimes")))),
                WebhookSender.withDefaultTrust(), policy, CallbackTarget.Resolver.system(), true);
    }

    private void makeDueNow() {
        scratch.jdbi().useHandle(h -> h.execute("update webhook_deliveries set next_attempt_at = now()"));
    }

    /** The next delivery the receiver got, checked for its method and signature, as JSON. */
    private JsonNode signedDelivery(String method) throws Exception {
        Map<String, Object> delivery = deliveries.poll(5, TimeUnit.SECONDS);
        assertNotNull(delivery, "no delivery within 5 s");
        assertEquals(method, delivery.get("method"));
        byte[] body = (byte[]) delivery.get("body");
        assertEquals("sha256=" + WebhookSender.signature(body, "test-secret"), delivery.get("signature"));
        return new ObjectMapper().readTree(body);
    }

    @Test
    void completionSchedulesOneSignedDelivery() throws Exception {
        UUID id = completedWithCallback();
        WebhookDeliveries.DueWebhook due = store.due(10).getFirst();
        assertEquals(id, due.submissionId());
        dispatcher(address -> null).deliver(due);
        JsonNode json = signedDelivery("POST");
        assertEquals(id.toString(), json.get("id").asText());
        assertEquals("accepted", json.get("verdict").asText());
        makeDueNow();
        assertTrue(store.due(10).isEmpty(), "a delivered webhook is not sent again");
    }

    @Test
    void judge0SubmissionIsCalledBackAsJudge0DoesWithAPutOfItsDefaultFieldsInBase64() throws Exception {
        UUID id = completedWithCallback(CallbackFormat.JUDGE0);
        dispatcher(address -> null).deliver(store.due(10).getFirst());
        JsonNode json = signedDelivery("PUT");
        assertEquals(id.toString(), json.get("token").asText());
        assertEquals(3, json.get("status").get("id").asInt(), json.toString());
        assertEquals("out", new String(Base64.getMimeDecoder().decode(json.get("stdout").asText()), StandardCharsets.UTF_8));
        Set<String> fields = new HashSet<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"), fields);
    }

    @Test
    void failedDeliveryIsRetriedLaterThenGivenUp() {
        answer = 500;
        UUID id = completedWithCallback();
        WebhookDispatcher dispatcher = dispatcher(address -> null);
        dispatcher.deliver(store.due(10).getFirst());
        assertTrue(store.due(10).isEmpty(), "the retry waits for its backoff");
        for (int attempt = 2; attempt <= WebhookDispatcher.MAX_ATTEMPTS; attempt++) {
            makeDueNow();
            dispatcher.deliver(store.due(10).getFirst());
        }
        makeDueNow();
        assertTrue(store.due(10).isEmpty(), "after " + WebhookDispatcher.MAX_ATTEMPTS + " attempts it is given up");
        String failed = scratch.jdbi().withHandle(h -> h.createQuery(
                "select attempts || ' ' || (failed_at is not null) from webhook_deliveries where submission_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertEquals(WebhookDispatcher.MAX_ATTEMPTS + " true", failed);
    }

    @Test
    void innerAddressIsRefusedAtSendTimeToo() {
        UUID id = completedWithCallback();
        dispatcher(AddressPolicy.publicOnly()).deliver(store.due(10).getFirst());
        assertTrue(deliveries.isEmpty(), "nothing may be sent to loopback");
        String error = scratch.jdbi().withHandle(h -> h.createQuery("select last_error from webhook_deliveries where submission_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertTrue(error.contains("loopback"), error);
    }

    @Test
    void submissionWithoutCallbackSchedulesNothing() {
        UUID id = UUID.randomUUID();
        stored.queued(id, new Caller(scratch.keyId(), Caller.Role.SUBMITTER, "127.0.0.1"), null);
        Instant now = Instant.now();
        stored.finished(new ExecutionEvent.Finished(id, "executor-test",
                ExecutionEvent.Outcome.internalError("x", now)));
        assertTrue(store.due(10).isEmpty());
    }
}
