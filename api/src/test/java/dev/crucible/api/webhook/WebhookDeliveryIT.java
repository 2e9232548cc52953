package dev.crucible.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.api.ScratchSchema;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.compat.judge0.Judge0Callbacks;
import dev.crucible.api.http.Json;
import dev.crucible.api.http.ResponseBudget;
import dev.crucible.api.submission.StoredSubmissions;
import dev.crucible.api.submission.WebhookBodies;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.testsupport.TestClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
    private final AtomicInteger slowArrived = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

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
        receiver.createContext("/slow", exchange -> {
            slowArrived.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        // A handler that hangs must not hold up the others.
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        receiver.stop(0);
        scratch.close();
    }

    private UUID completedWithCallback() {
        return completedWithCallback(CallbackFormat.CRUCIBLE);
    }

    private UUID completedWithCallback(CallbackFormat format) {
        return completedWithCallback(scratch.keyId(), "/hook", format);
    }

    private UUID completedWithCallback(UUID keyId, String path, CallbackFormat format) {
        return completedWithCallback(keyId, path, format, "out".getBytes(StandardCharsets.UTF_8));
    }

    private UUID completedWithCallback(UUID keyId, String path, CallbackFormat format, byte[] stdout) {
        UUID id = UUID.randomUUID();
        Caller caller = new Caller(keyId, Caller.Role.SUBMITTER, "127.0.0.1");
        stored.queued(id, caller, new Callback("http://127.0.0.1:" + receiver.getAddress().getPort() + path, format));
        Instant now = Instant.now();
        stored.finished(new ExecutionEvent.Finished(id, "executor-test", new ExecutionEvent.Outcome(
                new ExecutionEvent.ProgramResult(Verdict.ACCEPTED, 0, null, 5L, null),
                new ExecutionEvent.Output(stdout, 0, new byte[0], 0), ExecutionEvent.Diagnostics.NONE,
                List.of(), List.of(), List.of(), new ExecutionEvent.Context(now, now, null, null))));
        return id;
    }

    private WebhookDispatcher dispatcher(AddressPolicy policy) {
        return dispatcher(policy, Clock.systemUTC());
    }

    private WebhookDispatcher dispatcher(AddressPolicy policy, Clock clock) {
        return dispatcher(policy, clock, new ResponseBudget(16 << 20));
    }

    private WebhookDispatcher dispatcher(AddressPolicy policy, Clock clock, ResponseBudget budget) {
        return new WebhookDispatcher(store, new WebhookBodies(stored.store()), scratch.keys(),
                Map.of(CallbackFormat.CRUCIBLE, Json.mapper()::writeValueAsBytes,
                        CallbackFormat.JUDGE0, new Judge0Callbacks(RuntimeCatalog.load(Path.of("..", "runtimes")))),
                WebhookSender.withDefaultTrust(), policy, CallbackTarget.Resolver.system(), true, budget, clock);
    }

    private List<WebhookDeliveries.DueWebhook> due() {
        return store.due(10, WebhookDispatcher.PER_KEY);
    }

    /** A clock the test moves on by hand. */

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
        WebhookDeliveries.DueWebhook due = due().getFirst();
        assertEquals(id, due.submissionId());
        dispatcher(address -> null).deliver(due);
        JsonNode json = signedDelivery("POST");
        assertEquals(id.toString(), json.get("id").asText());
        assertEquals("accepted", json.get("verdict").asText());
        makeDueNow();
        assertTrue(due().isEmpty(), "a delivered webhook is not sent again");
    }

    @Test
    void judge0SubmissionIsCalledBackAsJudge0DoesWithAPutOfItsDefaultFieldsInBase64() throws Exception {
        UUID id = completedWithCallback(CallbackFormat.JUDGE0);
        dispatcher(address -> null).deliver(due().getFirst());
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
        // An hour between attempts, as the backoff and the host's breaker would have it.
        TestClock clock = new TestClock(Instant.now());
        WebhookDispatcher dispatcher = dispatcher(address -> null, clock);
        dispatcher.deliver(due().getFirst());
        assertTrue(due().isEmpty(), "the retry waits for its backoff");
        for (int attempt = 2; attempt <= WebhookDispatcher.MAX_ATTEMPTS; attempt++) {
            makeDueNow();
            clock.advance(Duration.ofHours(1));
            dispatcher.deliver(due().getFirst());
        }
        makeDueNow();
        assertTrue(due().isEmpty(), "after " + WebhookDispatcher.MAX_ATTEMPTS + " attempts it is given up");
        String failed = scratch.jdbi().withHandle(h -> h.createQuery(
                "select attempts || ' ' || (failed_at is not null) from webhook_deliveries where submission_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertEquals(WebhookDispatcher.MAX_ATTEMPTS + " true", failed);
    }

    @Test
    void aHostThatKeepsFailingIsLeftAloneAWhileWithoutSpendingAttempts() {
        answer = 503;
        List<UUID> ids = IntStream.range(0, HostBreakers.FAILURES_TO_OPEN + 1).mapToObj(i -> completedWithCallback()).toList();
        WebhookDispatcher dispatcher = dispatcher(address -> null);
        for (int i = 0; i < ids.size(); i++) {
            dispatcher.deliver(due().getFirst());
        }
        assertEquals(HostBreakers.FAILURES_TO_OPEN, deliveries.size(), "the receiver saw the attempts before the breaker opened");
        String last = scratch.jdbi().withHandle(h -> h.createQuery("""
                select attempts || ' ' || (next_attempt_at > now() + interval '50 seconds') || ' ' || last_error
                from webhook_deliveries where submission_id = :id""").bind("id", ids.getLast()).mapTo(String.class).one());
        assertTrue(last.startsWith("0 true waiting: 127.0.0.1 failed"), last);
        // The breaker is that key's: another key's webhook to the same host is still sent.
        completedWithCallback(scratch.addKey("submitter"), "/hook", CallbackFormat.CRUCIBLE);
        dispatcher.deliver(due().stream().filter(d -> !ids.contains(d.submissionId())).findFirst().orElseThrow());
        assertEquals(HostBreakers.FAILURES_TO_OPEN + 1, deliveries.size(), "another key's webhook reached the host");
    }

    @Test
    void oneKeysBacklogOfSlowDeliveriesDoesNotHoldUpAnotherKeys() throws Exception {
        UUID busy = scratch.addKey("submitter");
        for (int i = 0; i < 20; i++) {
            completedWithCallback(busy, "/slow", CallbackFormat.CRUCIBLE);
        }
        // The busy key's webhooks came first: without a share per key they would take every slot.
        scratch.jdbi().useHandle(h -> h.execute("update webhook_deliveries set next_attempt_at = now() - interval '1 minute'"));
        UUID other = completedWithCallback();
        WebhookDispatcher dispatcher = dispatcher(address -> null);
        dispatcher.start();
        try {
            JsonNode delivered = signedDelivery("POST");
            assertEquals(other.toString(), delivered.get("id").asText());
            assertTrue(slowArrived.get() <= WebhookDispatcher.PER_KEY, "the busy key has its share of slots under way, no more: " + slowArrived);
        } finally {
            dispatcher.stop();
        }
    }

    @Test
    void aLargeWebhookWaitsWithoutSpendingAnAttemptWhileLargeAnswersHoldTheBudget() {
        UUID id = completedWithCallback(scratch.keyId(), "/hook", CallbackFormat.CRUCIBLE, new byte[512 << 10]);
        ResponseBudget budget = new ResponseBudget(1 << 20);
        try (ResponseBudget.Held _ = budget.admit(1 << 20)) {
            dispatcher(address -> null, Clock.systemUTC(), budget).deliver(due().getFirst());
        }
        assertTrue(deliveries.isEmpty(), "nothing was sent");
        String row = scratch.jdbi().withHandle(h -> h.createQuery(
                "select attempts || ' ' || (next_attempt_at > now()) || ' ' || last_error from webhook_deliveries where submission_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertTrue(row.startsWith("0 true waiting: the server is sending as many large results"), row);
        assertEquals(1024, budget.availableKib(), "the webhook took nothing of the budget");
    }

    @Test
    void innerAddressIsRefusedAtSendTimeToo() {
        UUID id = completedWithCallback();
        dispatcher(AddressPolicy.publicOnly()).deliver(due().getFirst());
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
        assertTrue(due().isEmpty());
    }
}
