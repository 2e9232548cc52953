package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.time.Duration;
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

    /** The flooding submission's tests, run once for the whole class: 64 sandboxes are not cheap. */
    private static JsonNode tests;

    @BeforeAll
    static void runFloodingSubmission() throws Exception {
        tests = floodingSubmission(new StackUnderTest()).get("tests");
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

    @Test
    void testsPastTheCapKeepNoOutput() throws Exception {
        JsonNode last = tests.get(TESTS - 1);
        assertEquals("", last.path("stdout").asText());
        assertEquals(BYTES, last.path("stdout_truncated_bytes").asLong());
        assertEquals(BYTES, last.path("stderr_truncated_bytes").asLong());
    }
}
