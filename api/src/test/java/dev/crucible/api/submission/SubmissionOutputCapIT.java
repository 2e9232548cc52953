package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.StackUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The total output stored of one submission, across its tests, through the real stack: 64 tests each
 * writing 60000 bytes to stdout and to stderr are 7.7 MB, past the executor's default 4 MiB.
 */
class SubmissionOutputCapIT {
    private static final int TESTS = 64;
    private static final int BYTES = 60_000;
    private static final long CAP = 4L << 20;

    /** The flooding submission, run once for the whole class: 64 sandboxes are not cheap. */
    private static JsonNode flooding;
    private static JsonNode tests;

    @BeforeAll
    static void runFloodingSubmission() throws Exception {
        flooding = floodingSubmission(new StackUnderTest());
        tests = flooding.get("tests");
    }

    private static JsonNode floodingSubmission(StackUnderTest stack) throws Exception {
        StringBuilder tests = new StringBuilder();
        for (int i = 0; i < TESTS; i++) {
            tests.append(i == 0 ? "" : ",").append("{\"expected_output\":\"x\"}");
        }
        String source = "import sys\\nsys.stdout.write('x' * " + BYTES + ")\\nsys.stderr.write('y' * " + BYTES + ")";
        var created = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":\"" + source + "\",\"tests\":[" + tests + "]}", stack.adminKey());
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode current = stack.get("/v1/submissions/" + id, stack.adminKey()).body();
            if (current.get("status").asText().equals("completed")) {
                return current;
            }
            assertTrue(System.nanoTime() < deadline, "not completed in 5 minutes: " + current.get("status").asText());
            Thread.sleep(500);
        }
    }

    @Test
    void submissionStoresAtMostTheCapAndCountsTheRestAsTruncated() throws Exception {
        assertEquals(TESTS, tests.size());
        long stored = 0;
        long truncated = 0;
        for (JsonNode test : tests) {
            stored += test.path("stdout").asText().length() + test.path("stderr").asText().length();
            truncated += test.path("stdout_truncated_bytes").asLong() + test.path("stderr_truncated_bytes").asLong();
        }
        assertEquals(CAP, stored, "the cap is filled exactly");
        assertEquals(2L * TESTS * BYTES - CAP, truncated, "every byte not stored is counted");
    }

    /**
     * Forty clients reading the 4 MiB result at once: each is answered whole or told to come back
     * (503, Retry-After) while the large answers in flight fill the api's response budget, health
     * answers meanwhile, and the budget is whole again after (every read then passes).
     */
    @Test
    void manyReadsOfALargeResultAtOnceAreAnsweredWholeOrToldToRetry() throws Exception {
        StackUnderTest stack = new StackUnderTest();
        URI read = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + "/v1/submissions/" + flooding.get("id").asText());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(read).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + stack.adminKey()).build();
        List<CompletableFuture<HttpResponse<byte[]>>> reads = IntStream.range(0, 40)
                .mapToObj(i -> http.sendAsync(get, HttpResponse.BodyHandlers.ofByteArray())).toList();
        assertEquals(200, stack.get("/v1/health", null).status());
        int whole = 0;
        for (CompletableFuture<HttpResponse<byte[]>> answer : reads) {
            HttpResponse<byte[]> response = answer.get(60, TimeUnit.SECONDS);
            if (response.statusCode() == 200) {
                assertEquals(TESTS, new ObjectMapper().readTree(response.body()).get("tests").size());
                whole++;
            } else {
                assertEquals(503, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
            }
        }
        assertTrue(whole > 0, "some reads are answered");
        for (int i = 0; i < 10; i++) {
            assertEquals(200, http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode(), "the budget was given back");
        }
    }

    @Test
    void testsPastTheCapKeepNoOutput() throws Exception {
        JsonNode last = tests.get(TESTS - 1);
        assertEquals("", last.path("stdout").asText());
        assertEquals(BYTES, last.path("stdout_truncated_bytes").asLong());
        assertEquals(BYTES, last.path("stderr_truncated_bytes").asLong());
    }
}
