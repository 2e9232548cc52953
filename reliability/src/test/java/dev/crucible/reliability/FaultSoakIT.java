package dev.crucible.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #19's soak at CI's size: programs submitted at about three a second by clients that retry with
 * an {@code Idempotency-Key}, as a careful client does, while the executor, the api, Redis, PostgreSQL
 * and dockerd are each killed in turn and brought back by {@code ./crucible up}. The faults are the
 * machinery's, so every program must end accepted with its own output: none lost, none duplicated,
 * none wrong, none an {@code internal_error}.
 */
class FaultSoakIT {
    private static final int SUBMISSIONS = Integer.getInteger("crucible.soak.submissions", 200);
    /** The clients' pace: a submission every third of a second. */
    private static final Duration PACE = Duration.ofMillis(333);
    /** How long a client keeps retrying one submission; past it the submission counts as lost. */
    private static final Duration CLIENT_GIVES_UP = Duration.ofMinutes(3);
    private static final Duration FINAL_WITHIN = Duration.ofMinutes(5);
    private final RunningStack stack = new RunningStack();
    /** Attempts that got no answer, a 5xx or a 429: the faults as the clients felt them. */
    private final AtomicInteger retried = new AtomicInteger();

    @AfterEach
    void bringEverythingBack() {
        stack.up();
    }

    @Test
    void everySubmissionMadeThroughKillsOfEachPartEndsAcceptedOnceWithItsOwnOutput() throws Exception {
        String key = soakKey();
        String run = UUID.randomUUID().toString();
        List<String> ids = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<String>> faults = threads.submit(this::oneFaultOfEachKind);
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < SUBMISSIONS; i++) {
                int n = i;
                submitted.add(threads.submit(() -> submitUntilAccepted(key, run + "-" + n, n)));
                TimeUnit.MILLISECONDS.sleep(PACE.toMillis()); // the clients' pace, not a wait for anything
            }
            List<String> injected = faults.get();
            assertEquals(List.of("executor", "api", "redis", "postgres", "dockerd"), injected);
            for (Future<String> id : submitted) {
                ids.add(id.get());
            }
        }
        List<JsonNode> finals = stack.awaitFinal(ids, FINAL_WITHIN);
        List<String> wrong = new ArrayList<>();
        for (int n = 0; n < finals.size(); n++) {
            JsonNode s = finals.get(n);
            if (!s.get("verdict").asText().equals("accepted") || !s.get("stdout").asText().equals(n * n + "\n")) {
                wrong.add(n + ": " + s);
            }
        }
        assertEquals(List.of(), wrong, "every program ends accepted with its own output");
        assertEquals(ids.size(), new HashSet<>(ids).size(), "each retried submission is the one first made");
        assertEquals(ids.size(), submissionsOf(key), "the key made exactly one submission per program");
        assertTrue(retried.get() > 0, "no client had to retry: the faults missed the submissions");
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(75));
        System.out.printf("FaultSoakIT: %d submissions, %d attempts retried, all accepted once%n", ids.size(), retried.get());
    }

    /** A key of its own, with room for the whole soak, so that its submissions can be counted. */
    private String soakKey() {
        RunningStack.Answer created = stack.send("POST", "/v1/keys",
                "{\"name\":\"soak\",\"role\":\"submitter\",\"rate_per_minute\":10000,\"max_active\":1000,"
                        + "\"sandbox_ms_per_minute\":100000000,\"sandbox_ms_per_hour\":1000000000}", stack.adminKey(), Map.of());
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        return created.body().get("key").asText();
    }

    /** Kills each part once, a few seconds apart, each brought back by {@code up} before the next; the kinds in order. */
    private List<String> oneFaultOfEachKind() throws InterruptedException {
        List<String> done = new ArrayList<>();
        for (String part : List.of("executor", "api", "redis", "postgres", "dockerd")) {
            TimeUnit.SECONDS.sleep(6); // submissions go on meanwhile; the faults are spread over them
            if (part.equals("postgres")) {
                stack.crashPostgres();
            } else {
                stack.kill(part);
            }
            stack.up();
            done.add(part);
        }
        return done;
    }

    /**
     * Submits {@code print(n * n)} until the api accepts it, as a retrying client does: no answer, a
     * 5xx or a 429 is tried again with the same Idempotency-Key after a short pause.
     */
    private String submitUntilAccepted(String key, String idempotencyKey, int n) throws InterruptedException {
        String body = "{\"runtime\":\"python\",\"source\":\"import time\\ntime.sleep(0.2)\\nprint(" + n + " * " + n + ")\"}";
        long deadline = System.nanoTime() + CLIENT_GIVES_UP.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            Optional<RunningStack.Answer> answer = stack.attempt("POST", "/v1/submissions", body, key,
                    Map.of("Idempotency-Key", idempotencyKey));
            if (answer.isPresent() && answer.get().status() / 100 == 2) {
                return answer.get().body().get("id").asText();
            }
            if (answer.isPresent() && answer.get().status() < 500 && answer.get().status() != 429) {
                fail("submission " + n + " was refused: " + answer.get().status() + " " + answer.get().body());
            }
            last = answer.map(a -> a.status() + " " + a.body()).orElse("no answer");
            retried.incrementAndGet();
            TimeUnit.MILLISECONDS.sleep(500); // a client's backoff before it tries again
        }
        throw new AssertionError("submission " + n + " was never accepted; last: " + last);
    }

    /** Every submission the key made, counted through the listing, page by page. */
    private int submissionsOf(String key) {
        int count = 0;
        String cursor = null;
        do {
            RunningStack.Answer page = stack.send("GET", "/v1/submissions?limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
                    null, key, Map.of());
            assertEquals(200, page.status(), () -> String.valueOf(page.body()));
            count += page.body().get("items").size();
            cursor = page.body().hasNonNull("next_cursor") ? page.body().get("next_cursor").asText() : null;
        } while (cursor != null);
        return count;
    }
}
