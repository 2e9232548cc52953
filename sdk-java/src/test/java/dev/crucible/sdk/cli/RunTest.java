package dev.crucible.sdk.cli;

import static dev.crucible.sdk.FakeCrucible.events;
import static dev.crucible.sdk.FakeCrucible.json;
import static dev.crucible.sdk.FakeCrucible.outputEvent;
import static dev.crucible.sdk.FakeCrucible.problem;
import static dev.crucible.sdk.FakeCrucible.submission;
import static dev.crucible.sdk.FakeCrucible.submissionEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.sdk.ApiClient;
import dev.crucible.sdk.FakeCrucible;
import dev.crucible.sdk.model.Submission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process, against a fake of the endpoints it calls. */
class RunTest {
    private static final String ID = "5b0c3c62-7f0e-4f8e-9a55-0d2b8e3f6a11";
    private static final String EVENTS = "/v1/submissions/" + ID + "/events";
    private static final String QUEUED = submission(ID, "queued", "");
    private static final String RUNTIMES = "[{\"name\":\"python\",\"version\":\"3.11\",\"aliases\":[\"py\"],"
            + "\"source_file\":\"main.py\",\"default_limits\":{},\"max_limits\":{}}]";

    private final FakeCrucible fake = FakeCrucible.start();
    private final Shown out = new Shown();
    private final Shown err = new Shown();
    @TempDir
    Path folder;

    RunTest() throws IOException {}

    @AfterEach
    void stop() {
        fake.close();
    }

    /** What the command line printed, and a way to wait until it printed something. */
    static final class Shown extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile CompletableFuture<Void> awaited = new CompletableFuture<>();
        private volatile String expected = null;

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (expected != null && text().contains(expected)) {
                awaited.complete(null);
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Completes when a flush has shown {@code text}. */
        CompletableFuture<Void> whenShown(String text) {
            expected = text;
            return awaited;
        }
    }

    private int run(String... args) {
        Map<String, String> env = Map.of("CRUCIBLE_URL", fake.uri().toString(), "CRUCIBLE_KEY", "cru_test-key");
        return new Run(env, new PrintStream(out, false, StandardCharsets.UTF_8),
                new PrintStream(err, false, StandardCharsets.UTF_8), false).execute(List.of(args));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(folder.resolve(name), content);
    }

    private JsonNode posted() throws IOException {
        return new ObjectMapper().readTree(fake.requests("POST", "/v1/submissions").getFirst().body());
    }

    @Test
    void outputIsShownAsItComesAndTheRunEndsWithTheProgramsExitCode() throws IOException {
        CompletableFuture<Void> firstShown = out.whenShown("hello ");
        AtomicBoolean shownBeforeTheRest = new AtomicBoolean();
        fake.on("GET", "/v1/runtimes", json(200, RUNTIMES))
                .on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", EVENTS, exchange -> {
                    OutputStream stream = FakeCrucible.openStream(exchange);
                    send(stream, submissionEvent(1, submission(ID, "running", ""))
                            + outputEvent(2, "{\"stage\":\"run\",\"stream\":\"stdout\",\"text\":\"hello \"}"));
                    // The rest only once the first piece is on the command line's stdout: shown live, not at the end.
                    try {
                        firstShown.get(10, TimeUnit.SECONDS);
                        shownBeforeTheRest.set(true);
                    } catch (InterruptedException | ExecutionException | TimeoutException notShown) {
                        // The rest is sent all the same, so that the run ends; the test fails below.
                    }
                    send(stream, outputEvent(3, "{\"stage\":\"run\",\"stream\":\"stderr\",\"text\":\"to stderr\\n\"}")
                            + outputEvent(4, "{\"stage\":\"run\",\"stream\":\"stdout\",\"text\":\"world\\n\"}")
                            + submissionEvent(5, submission(ID, "completed", "\"verdict\":\"runtime_error\","
                            + "\"stdout\":\"hello world\\n\",\"stderr\":\"to stderr\\n\",\"exit_code\":3,\"wall_time_ms\":41,"
                            + "\"cpu_time_ms\":38,\"peak_memory_kb\":9216,\"timings\":{\"queue_wait_ms\":12}")));
                });
        Path program = file("hello.py", "import sys\nprint('hello', sys.stdin.read())\nsys.exit(3)\n");
        Path input = file("in.txt", "world");

        int status = run(program.toString(), "--stdin", input.toString());

        assertTrue(shownBeforeTheRest.get(), "the first piece was not shown before the rest came");
        assertEquals(3, status, err.text());
        assertEquals("hello world\n", out.text(), "streamed once, not again from the stored result");
        String said = err.text();
        assertTrue(said.contains("to stderr\n"), said);
        assertTrue(said.contains("[crucible] runtime_error, exit code 3\n"), said);
        assertTrue(said.contains("[crucible] wall 41 ms, cpu 38 ms, memory 9.0 MiB, queue wait 12 ms\n"), said);
        JsonNode request = posted();
        assertEquals("python", request.path("runtime").asText(), "inferred from .py through GET /v1/runtimes");
        assertEquals("world", request.path("stdin").asText());
        assertEquals("import sys\nprint('hello', sys.stdin.read())\nsys.exit(3)\n", request.path("source").asText());
        assertEquals("Bearer cru_test-key", fake.requests("GET", EVENTS).getFirst().header("Authorization"));
    }

    private static void send(OutputStream stream, String text) throws IOException {
        stream.write(text.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }

    @Test
    void withoutLiveOutputTheStoredOutputIsPrinted() throws IOException {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", EVENTS, events(submissionEvent(1, submission(ID, "completed",
                        "\"verdict\":\"accepted\",\"stdout\":\"stored\\n\",\"stderr\":\"warned\\n\",\"exit_code\":0"))));

        int status = run(file("a.py", "print('stored')").toString(), "--runtime", "python");

        assertEquals(0, status, err.text());
        assertEquals("stored\n", out.text());
        assertTrue(err.text().contains("warned\n"), err.text());
        assertTrue(err.text().contains("[crucible] accepted, exit code 0\n"), err.text());
        assertEquals(0, fake.requests("GET", "/v1/runtimes").size(), "--runtime needs no inference");
    }

    @Test
    void cappedLiveOutputIsCompletedFromTheStoredResult() throws IOException {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", EVENTS, events(
                        outputEvent(1, "{\"stage\":\"run\",\"stream\":\"stdout\",\"text\":\"abc\",\"capped\":true}"),
                        submissionEvent(2, submission(ID, "completed",
                                "\"verdict\":\"accepted\",\"stdout\":\"abcdef\",\"exit_code\":0"))));

        int status = run(file("a.py", "print('abcdef', end='')").toString(), "--runtime", "python");

        assertEquals(0, status, err.text());
        assertEquals("abcdef", out.text());
        assertTrue(err.text().contains("[crucible] the live output was capped; the rest is from the stored result\n"), err.text());
    }

    @Test
    void aStreamThatCameLiveIsNotRepeatedAndOneThatDidNotIsFilledIn() throws IOException {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", EVENTS, events(
                        outputEvent(1, "{\"stage\":\"run\",\"stream\":\"stderr\",\"text\":\"live err\\n\"}"),
                        submissionEvent(2, submission(ID, "completed", "\"verdict\":\"accepted\",\"exit_code\":0,"
                                + "\"stdout\":\"only stored\\n\",\"stderr\":\"live err\\n\","
                                + "\"compile_output\":\"warning: unused\\n\""))));

        int status = run(file("a.py", "x").toString(), "--runtime", "python");

        assertEquals(0, status, err.text());
        assertEquals("only stored\n", out.text());
        assertEquals(1, err.text().split("live err", -1).length - 1, err.text());
        assertTrue(err.text().contains("warning: unused\n"), err.text());
    }

    @Test
    void binaryStoredOutputIsWrittenAsItsBytes() throws IOException {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", EVENTS, events(submissionEvent(1, submission(ID, "completed",
                        "\"verdict\":\"accepted\",\"stdout\":\"/wA=\",\"stdout_encoding\":\"base64\",\"exit_code\":0"))));

        run(file("a.py", "x").toString(), "--runtime", "python");

        assertEquals(List.of((byte) 0xff, (byte) 0x00), List.of(out.bytes.toByteArray()[0], out.bytes.toByteArray()[1]));
        assertEquals(2, out.bytes.size());
    }

    @Test
    void testsGiveEachVerdictAndExitOneWhenOneFails() throws IOException {
        fake.on("POST", "/v1/submissions", json(202, QUEUED))
                .on("GET", EVENTS, events(submissionEvent(1, submission(ID, "completed",
                        "\"verdict\":\"wrong_answer\",\"score\":{\"passed\":1,\"total\":2},\"tests\":["
                                + "{\"name\":\"a.in\",\"verdict\":\"accepted\",\"exit_code\":0,\"wall_time_ms\":12},"
                                + "{\"name\":\"b.in\",\"verdict\":\"wrong_answer\",\"exit_code\":0,\"wall_time_ms\":11}]"))));
        Path program = file("rev.py", "print(input()[::-1])");

        int status = run(program.toString(), "--runtime", "python",
                "--test", file("a.in", "abc").toString() + ":" + file("a.out", "cba"),
                "--test", file("b.in", "xy").toString() + ":" + file("b.out", "xy"));

        assertEquals(1, status, err.text());
        String said = err.text();
        assertTrue(said.contains("[crucible] test 1 (a.in): accepted, exit code 0, 12 ms\n"), said);
        assertTrue(said.contains("[crucible] test 2 (b.in): wrong_answer, exit code 0, 11 ms\n"), said);
        assertTrue(said.contains("[crucible] wrong_answer, 1 of 2 tests passed\n"), said);
        JsonNode tests = posted().path("tests");
        assertEquals("a.in", tests.path(0).path("name").asText());
        assertEquals("abc", tests.path(0).path("stdin").asText());
        assertEquals("cba", tests.path(0).path("expected_output").asText());
        assertEquals("xy", tests.path(1).path("expected_output").asText());
    }

    @Test
    void aRequestTheServerRefusesIsStatusTwoWithItsDetail() throws IOException {
        fake.on("POST", "/v1/submissions", problem(422, "unknown_runtime", "Unknown runtime", "no runtime is named cobol"));

        int status = run(file("a.py", "x").toString(), "--runtime", "cobol");

        assertEquals(2, status);
        assertTrue(err.text().contains("no runtime is named cobol"), err.text());
    }

    @Test
    void aWrongKeyIsStatus125() throws IOException {
        fake.on("GET", "/v1/runtimes", problem(401, "unauthorized", "Unauthorized", "the API key is not valid"));

        int status = run(file("a.py", "x").toString());

        assertEquals(125, status);
        assertTrue(err.text().startsWith("crucible run: HTTP 401: Unauthorized: the API key is not valid"), err.text());
    }

    @Test
    void aMissingFileOrKeyIsStatusTwo() throws IOException {
        assertEquals(2, run(folder.resolve("nope.py").toString()));
        assertTrue(err.text().contains("the program file " + folder.resolve("nope.py") + " does not exist"), err.text());

        int status = new Run(Map.of(), new PrintStream(out), new PrintStream(err), false)
                .execute(List.of(file("a.py", "x").toString()));
        assertEquals(2, status);
        assertTrue(err.text().contains("no API key: set CRUCIBLE_KEY"), err.text());
        assertTrue(fake.requests().isEmpty());
    }

    @Test
    void exitStatusFollowsTheProgramAndTheVerdict() throws IOException {
        ObjectMapper mapper = ApiClient.createDefaultObjectMapper();
        assertEquals(0, Outcome.exitCode(mapper.readValue(submission(ID, "completed",
                "\"verdict\":\"accepted\",\"exit_code\":0"), Submission.class), false));
        assertEquals(1, Outcome.exitCode(mapper.readValue(submission(ID, "completed",
                "\"verdict\":\"time_limit_exceeded\""), Submission.class), false));
        assertEquals(1, Outcome.exitCode(mapper.readValue(submission(ID, "completed",
                "\"verdict\":\"output_limit_exceeded\",\"exit_code\":0"), Submission.class), false));
        assertEquals(1, Outcome.exitCode(mapper.readValue(submission(ID, "cancelled", ""),
                Submission.class), false));
        assertEquals(0, Outcome.exitCode(mapper.readValue(submission(ID, "completed",
                "\"verdict\":\"accepted\",\"exit_code\":0"), Submission.class), true));
    }
}
