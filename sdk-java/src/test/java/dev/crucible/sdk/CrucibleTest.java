package dev.crucible.sdk;

import static dev.crucible.sdk.FakeCrucible.events;
import static dev.crucible.sdk.FakeCrucible.json;
import static dev.crucible.sdk.FakeCrucible.outputEvent;
import static dev.crucible.sdk.FakeCrucible.problem;
import static dev.crucible.sdk.FakeCrucible.submission;
import static dev.crucible.sdk.FakeCrucible.submissionEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.sdk.model.Submission;
import dev.crucible.sdk.model.SubmissionRequest;
import dev.crucible.sdk.model.SubmissionStatus;
import dev.crucible.sdk.model.Verdict;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facade against a fake of the Crucible endpoints on loopback. */
class CrucibleTest {
    private static final String ID = "5b0c3c62-7f0e-4f8e-9a55-0d2b8e3f6a11";
    private static final String SUBMISSION = "/v1/submissions/" + ID;
    private static final String QUEUED = submission(ID, "queued", "");
    private static final String RUNNING = submission(ID, "running", "");
    private static final String DONE = submission(ID, "completed", "\"verdict\":\"accepted\",\"stdout\":\"hello\\n\",\"exit_code\":0");

    private final FakeCrucible fake = FakeCrucible.start();

    CrucibleTest() throws IOException {}

    @AfterEach
    void stop() {
        fake.close();
    }

    private Crucible crucible() {
        // A trailing slash, as people write base URLs: the calls must still go to /v1/..., not //v1/...
        return Crucible.builder(URI.create(fake.uri() + "/"), "cru_test-key")
                .polling(Duration.ofMillis(1), Duration.ofMillis(5))
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    private static SubmissionRequest hello() {
        return new SubmissionRequest().runtime("python").source("print('hello')");
    }

    @Test
    void runPollsAfterA202UntilTheSubmissionIsFinal() {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", SUBMISSION, json(200, RUNNING), json(200, RUNNING), json(200, DONE));

        Submission done;
        try (Crucible crucible = crucible()) {
            done = crucible.run(hello(), Duration.ofSeconds(10));
        }

        assertEquals(SubmissionStatus.COMPLETED, done.getStatus());
        assertEquals("hello\n", done.getStdout());
        FakeCrucible.Request post = fake.requests("POST", "/v1/submissions").getFirst();
        assertEquals("wait=true", post.query());
        assertEquals("Bearer cru_test-key", post.header("Authorization"));
        assertNotNull(post.header("Idempotency-Key"), "a retry after a timeout must not run the program twice");
        assertEquals(3, fake.requests("GET", SUBMISSION).size());
        assertEquals("Bearer cru_test-key", fake.requests("GET", SUBMISSION).getFirst().header("Authorization"));
    }

    @Test
    void runAnswersAtOnceWhenTheWaitEndedFinal() {
        fake.on("POST", "/v1/submissions", json(200, DONE));

        try (Crucible crucible = crucible()) {
            assertEquals(Verdict.ACCEPTED, crucible.run(hello()).getVerdict());
        }
        assertEquals(0, fake.requests("GET", SUBMISSION).size());
    }

    @Test
    void pollingOutlastsTheApiBeingBrieflyUnavailable() {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", SUBMISSION, problem(503, "service_unavailable", "Unavailable", "restarting"), json(200, DONE));

        try (Crucible crucible = crucible()) {
            assertEquals(SubmissionStatus.COMPLETED, crucible.run(hello(), Duration.ofSeconds(10)).getStatus());
        }
    }

    @Test
    void runGivesUpAtItsDeadlineNamingTheSubmission() {
        fake.on("POST", "/v1/submissions", json(202, QUEUED)).on("GET", SUBMISSION, json(200, RUNNING));

        CrucibleTimeoutException late;
        try (Crucible crucible = crucible()) {
            late = assertThrows(CrucibleTimeoutException.class, () -> crucible.run(hello(), Duration.ofMillis(100)));
        }
        assertEquals(UUID.fromString(ID), late.submissionId());
        assertEquals(SubmissionStatus.RUNNING, late.lastStatus());
    }

    @Test
    void anErrorStatusIsACrucibleExceptionWithTheProblemsDetail() {
        fake.on("POST", "/v1/submissions",
                problem(422, "unknown_runtime", "Unknown runtime", "no runtime is named cobol"));

        CrucibleException refused;
        try (Crucible crucible = crucible()) {
            refused = assertThrows(CrucibleException.class, () -> crucible.run(hello().runtime("cobol")));
        }
        assertEquals(422, refused.status());
        assertEquals("unknown_runtime", refused.code());
        assertEquals("no runtime is named cobol", refused.detail());
        assertEquals("urn:crucible:problem:unknown_runtime", refused.problemType());
        assertEquals("HTTP 422: Unknown runtime: no runtime is named cobol (urn:crucible:problem:unknown_runtime)",
                refused.getMessage());
    }

    @Test
    void anErrorThatIsNotAProblemIsQuotedShort() {
        fake.on("GET", "/v1/runtimes", exchange -> {
            byte[] page = ("<html><body>" + "bad gateway ".repeat(100) + "</body></html>").getBytes();
            exchange.sendResponseHeaders(502, page.length);
            exchange.getResponseBody().write(page);
        });

        CrucibleException refused;
        try (Crucible crucible = crucible()) {
            refused = assertThrows(CrucibleException.class, crucible::runtimes);
        }
        assertEquals(502, refused.status());
        assertNull(refused.detail());
        assertTrue(refused.getMessage().startsWith("HTTP 502: <html><body>bad gateway"), refused.getMessage());
        assertTrue(refused.getMessage().length() < 260, refused.getMessage());
    }

    @Test
    void noAnswerIsACrucibleExceptionWithStatusZero() throws IOException {
        URI gone;
        try (FakeCrucible closed = FakeCrucible.start()) {
            gone = closed.uri();
        }
        try (Crucible crucible = Crucible.builder(gone, "cru_k").connectTimeout(Duration.ofSeconds(2)).build()) {
            CrucibleException unreachable = assertThrows(CrucibleException.class, crucible::runtimes);
            assertEquals(0, unreachable.status());
            assertTrue(unreachable.getMessage().startsWith("no answer from Crucible"), unreachable.getMessage());
        }
    }

    @Test
    void watchHandsOverEachStateAndTheLiveOutputUntilFinal() {
        fake.on("GET", SUBMISSION + "/events", events(": stream of submission\n\n",
                submissionEvent(1, QUEUED),
                outputEvent(2, "{\"stage\":\"run\",\"stream\":\"stdout\",\"text\":\"hel\"}"),
                ": keep-alive\n\n",
                outputEvent(3, "{\"stage\":\"run\",\"test\":1,\"stream\":\"stderr\",\"text\":\"lo\\n\",\"capped\":true}"),
                submissionEvent(4, DONE)));
        List<String> states = new ArrayList<>();
        List<OutputChunk> chunks = new ArrayList<>();

        Submission done;
        try (Crucible crucible = crucible()) {
            done = crucible.watch(UUID.fromString(ID), Duration.ofSeconds(10), new SubmissionListener() {
                @Override
                public void submission(Submission submission) {
                    states.add(submission.getStatus().getValue());
                }

                @Override
                public void output(OutputChunk chunk) {
                    chunks.add(chunk);
                }
            });
        }

        assertEquals(SubmissionStatus.COMPLETED, done.getStatus());
        assertEquals(List.of("queued", "completed"), states);
        assertEquals(List.of(new OutputChunk("run", OptionalInt.empty(), OptionalInt.empty(), "stdout", "hel", false),
                new OutputChunk("run", OptionalInt.of(1), OptionalInt.empty(), "stderr", "lo\n", true)), chunks);
        assertEquals("text/event-stream", fake.requests("GET", SUBMISSION + "/events").getFirst().header("Accept"));
    }

    @Test
    void watchConnectsAgainWhenTheStreamEndsEarlyFromWhereItGot() {
        fake.on("GET", SUBMISSION + "/events",
                events(submissionEvent(1, QUEUED), submissionEvent(2, RUNNING)),
                events(submissionEvent(3, DONE)));

        try (Crucible crucible = crucible()) {
            Submission done = crucible.watch(UUID.fromString(ID), Duration.ofSeconds(10), new SubmissionListener() {});
            assertEquals(SubmissionStatus.COMPLETED, done.getStatus());
        }
        List<FakeCrucible.Request> connections = fake.requests("GET", SUBMISSION + "/events");
        assertEquals(2, connections.size());
        assertNull(connections.get(0).header("Last-Event-ID"));
        assertEquals("2", connections.get(1).header("Last-Event-ID"));
    }

    @Test
    void watchConnectsAgainWhenTheStreamGoesSilent() {
        fake.on("GET", SUBMISSION + "/events",
                fake.eventsThenSilence(submissionEvent(1, RUNNING)),
                events(submissionEvent(2, DONE)));

        try (Crucible crucible = Crucible.builder(fake.uri(), "cru_k").streamIdle(Duration.ofMillis(200))
                .polling(Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
            Submission done = crucible.watch(UUID.fromString(ID), Duration.ofSeconds(20), new SubmissionListener() {});
            assertEquals(SubmissionStatus.COMPLETED, done.getStatus());
        }
        assertEquals(2, fake.requests("GET", SUBMISSION + "/events").size());
    }

    @Test
    void watchEndsAtItsDeadlineEvenOnASilentStream() {
        fake.on("GET", SUBMISSION + "/events", fake.eventsThenSilence(submissionEvent(1, RUNNING)));

        try (Crucible crucible = crucible()) {
            CrucibleTimeoutException late = assertThrows(CrucibleTimeoutException.class, () ->
                    crucible.watch(UUID.fromString(ID), Duration.ofMillis(300), new SubmissionListener() {}));
            assertEquals(SubmissionStatus.RUNNING, late.lastStatus());
        }
    }

    @Test
    void watchOfAnUnknownSubmissionIsItsProblem() {
        fake.on("GET", SUBMISSION + "/events", problem(404, "not_found", "Not found", "no such submission"));

        try (Crucible crucible = crucible()) {
            CrucibleException missing = assertThrows(CrucibleException.class, () ->
                    crucible.watch(UUID.fromString(ID), Duration.ofSeconds(10), new SubmissionListener() {}));
            assertEquals(404, missing.status());
            assertEquals("no such submission", missing.detail());
        }
    }

    @Test
    void aKeyWithALineBreakIsRefusedBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class, () -> Crucible.builder(fake.uri(), "cru_k\r\nX-Evil: 1"));
        assertThrows(IllegalArgumentException.class, () -> Crucible.builder(URI.create("ftp://127.0.0.1"), "cru_k"));
        assertThrows(IllegalArgumentException.class, () -> Crucible.builder(fake.uri(), "cru_k").timeout(Duration.ZERO));
    }

    @Test
    void neitherTheBuilderNorTheClientShowsTheKey() {
        Crucible.Builder builder = Crucible.builder(fake.uri(), "cru_secret").timeout(Duration.ofSeconds(1));

        assertTrue(!builder.toString().contains("cru_secret"), builder.toString());
        try (Crucible crucible = builder.build()) {
            assertTrue(!crucible.toString().contains("cru_secret"), crucible.toString());
        }
    }
}
