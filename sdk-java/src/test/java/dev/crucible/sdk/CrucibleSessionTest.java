package dev.crucible.sdk;

import static dev.crucible.sdk.FakeCrucible.command;
import static dev.crucible.sdk.FakeCrucible.event;
import static dev.crucible.sdk.FakeCrucible.events;
import static dev.crucible.sdk.FakeCrucible.json;
import static dev.crucible.sdk.FakeCrucible.octets;
import static dev.crucible.sdk.FakeCrucible.problem;
import static dev.crucible.sdk.FakeCrucible.session;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.sdk.model.Command;
import dev.crucible.sdk.model.CommandOutputChunk;
import dev.crucible.sdk.model.CommandRequest;
import dev.crucible.sdk.model.CommandStatus;
import dev.crucible.sdk.model.FileEntry;
import dev.crucible.sdk.model.FileListing;
import dev.crucible.sdk.model.SessionLimits;
import dev.crucible.sdk.model.SessionRequest;
import dev.crucible.sdk.model.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A session's handle against a fake of the session endpoints on loopback. */
class CrucibleSessionTest {
    private static final String ID = "6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7";
    private static final String SESSION = "/v1/sessions/" + ID;
    private static final String COMMAND_ID = "0b9e8d7c-6b5a-4948-8372-6150a4b3c2d1";
    private static final String COMMAND = SESSION + "/commands/" + COMMAND_ID;
    private static final String STARTING = session(ID, "starting", "");
    private static final String READY = session(ID, "ready", "");
    private static final String RUNNING = command(COMMAND_ID, ID, "running", "\"argv\":[\"python3\",\"-c\",\"print(1)\"]");
    private static final String WRITTEN = "{\"path\":\"data.txt\",\"type\":\"file\",\"size\":5}";
    private static final String FINISHED = command(COMMAND_ID, ID, "finished",
            "\"verdict\":\"accepted\",\"exit_code\":0,\"stdout\":\"1\\n\"");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeCrucible fake = FakeCrucible.start();

    CrucibleSessionTest() throws IOException {}

    @AfterEach
    void stop() {
        fake.close();
    }

    private Crucible crucible() {
        return Crucible.builder(fake.uri(), "cru_test-key")
                .polling(Duration.ofMillis(1), Duration.ofMillis(5))
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    /** A session the fake answers ready at once and ends when asked, its other endpoints scripted by the test. */
    private CrucibleSession opened(Crucible crucible) {
        fake.on("POST", "/v1/sessions", json(201, READY))
                .on("DELETE", SESSION, json(200, session(ID, "ended", "\"ended_reason\":\"deleted\"")));
        return crucible.openSession("python");
    }

    /** The body of the first POST to {@code path}. */
    private JsonNode posted(String path) throws IOException {
        return JSON.readTree(fake.requests("POST", path).getFirst().body());
    }

    @Test
    void openSessionWaitsUntilReady() {
        fake.on("POST", "/v1/sessions", json(201, STARTING))
                .on("GET", SESSION, json(200, STARTING), json(200, READY));

        try (Crucible crucible = crucible()) {
            assertEquals(UUID.fromString(ID), crucible.openSession("python").id());
        }
        assertEquals(2, fake.requests("GET", SESSION).size());
    }

    @Test
    void openSessionSendsItsOptions() throws IOException {
        fake.on("POST", "/v1/sessions", json(201, READY));

        try (Crucible crucible = crucible()) {
            crucible.openSession(new SessionRequest().runtime("python").idleTimeoutS(60).maxLifetimeS(600)
                    .limits(new SessionLimits().memoryMb(512L))
                    .files(List.of(new SourceFile().path("data.txt").content("1 2 3\n"))));
        }
        JsonNode sent = posted("/v1/sessions");
        assertEquals(JSON.readTree("{\"runtime\":\"python\",\"limits\":{\"memory_mb\":512},\"idle_timeout_s\":60,"
                + "\"max_lifetime_s\":600,\"files\":[{\"path\":\"data.txt\",\"content\":\"1 2 3\\n\",\"encoding\":\"utf8\"}]}"), sent);
    }

    @Test
    void aStartThatFailedIsAnError() {
        fake.on("POST", "/v1/sessions", json(201, STARTING))
                .on("GET", SESSION, json(200, session(ID, "ended",
                        "\"ended_reason\":\"start_failed\",\"message\":\"no executor had room within 30 s\"")));

        CrucibleException failed;
        try (Crucible crucible = crucible()) {
            failed = assertThrows(CrucibleException.class, () -> crucible.openSession("python"));
        }
        assertEquals("session " + ID + " did not start: start_failed: no executor had room within 30 s", failed.getMessage());
    }

    @Test
    void aSessionNotReadyByTheDeadlineIsEnded() {
        fake.on("POST", "/v1/sessions", json(201, STARTING))
                .on("GET", SESSION, json(200, STARTING))
                .on("DELETE", SESSION, json(200, session(ID, "ended", "\"ended_reason\":\"deleted\"")));

        try (Crucible crucible = Crucible.builder(fake.uri(), "cru_k").polling(Duration.ofMillis(1), Duration.ofMillis(5))
                .deadline(Duration.ofMillis(200)).build()) {
            CrucibleException late = assertThrows(CrucibleException.class, () -> crucible.openSession("python"));
            assertTrue(late.getMessage().contains("session " + ID + " was not ready"), late.getMessage());
        }
        assertEquals(1, fake.requests("DELETE", SESSION).size());
    }

    @Test
    void runAnswersAtOnceWhenTheCommandEndedWithinTheWait() {
        fake.on("POST", SESSION + "/commands", json(200, FINISHED));

        Command done;
        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            done = session.run("python3", "-c", "print(1)");
        }
        assertEquals("1\n", done.getStdout());
        assertEquals("wait=true", fake.requests("POST", SESSION + "/commands").getFirst().query());
        assertEquals(0, fake.requests("GET", COMMAND).size());
    }

    @Test
    void runSendsTheArgvAsGiven() throws IOException {
        fake.on("POST", SESSION + "/commands", json(200, FINISHED));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            session.run("python3", "-c", "print(1)");
        }
        JsonNode sent = posted(SESSION + "/commands");
        assertEquals(JSON.readTree("[\"python3\",\"-c\",\"print(1)\"]"), sent.get("argv"));
    }

    @Test
    void runWaitsForACommandStillRunning() {
        fake.on("POST", SESSION + "/commands", json(202, RUNNING))
                .on("GET", COMMAND, json(200, RUNNING), json(200, FINISHED));

        Command done;
        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            done = session.run("python3", "-c", "print(1)");
        }
        assertEquals(CommandStatus.FINISHED, done.getStatus());
        assertEquals(2, fake.requests("GET", COMMAND).size());
    }

    @Test
    void runGivesUpAtItsDeadlineNamingTheCommandAndTheSession() {
        fake.on("POST", SESSION + "/commands", json(202, RUNNING)).on("GET", COMMAND, json(200, RUNNING));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            CrucibleException late = assertThrows(CrucibleException.class, () ->
                    session.run(new CommandRequest().argv(List.of("sleep", "60")), Duration.ofMillis(100)));
            assertTrue(late.getMessage().startsWith("command " + COMMAND_ID + " of session " + ID + " was still running"),
                    late.getMessage());
        }
    }

    @Test
    void runSourceSendsTheProgramAndNoArgv() throws IOException {
        fake.on("POST", SESSION + "/commands", json(200, FINISHED));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            session.runSource("print(1)");
        }
        JsonNode sent = posted(SESSION + "/commands");
        assertEquals("print(1)", sent.path("source").asText());
        assertFalse(sent.has("argv"), sent.toString());
    }

    @Test
    void liveOutputOfACommandReachesTheListener() {
        String other = "{\"command\":\"11111111-2222-4333-8444-555555555555\",\"stream\":\"stdout\",\"text\":\"not mine\"}";
        fake.on("POST", SESSION + "/commands", json(202, RUNNING))
                .on("GET", COMMAND, json(200, RUNNING))
                .on("GET", SESSION + "/events", events(event("session", 1, READY), event("command", 2, RUNNING),
                        event("output", 3, "{\"command\":\"" + COMMAND_ID + "\",\"stream\":\"stdout\",\"text\":\"1\\n\"}"),
                        event("output", 4, other),
                        event("output", 5, "{\"command\":\"" + COMMAND_ID + "\",\"stream\":\"stderr\",\"text\":\"!\",\"capped\":true}"),
                        event("command", 6, FINISHED)));
        List<CommandOutputChunk> chunks = new ArrayList<>();

        Command done;
        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            done = session.run(new CommandRequest().argv(List.of("python3", "-c", "print(1)")), Duration.ofSeconds(10),
                    chunks::add);
        }
        assertEquals(CommandStatus.FINISHED, done.getStatus());
        UUID mine = UUID.fromString(COMMAND_ID);
        assertEquals(List.of(new CommandOutputChunk().command(mine).stream(CommandOutputChunk.StreamEnum.STDOUT).text("1\n"),
                new CommandOutputChunk().command(mine).stream(CommandOutputChunk.StreamEnum.STDERR).text("!").capped(true)),
                chunks);
        assertEquals("wait=false", fake.requests("POST", SESSION + "/commands").getFirst().query());
    }

    @Test
    void aWatchedCommandThatEndedUnseenIsReadAtTheNextSessionEvent() {
        // The first session event says the stream is open, and the command is posted; a later one (a
        // reconnection) may follow an end the stream never told: the command is read then.
        fake.on("POST", SESSION + "/commands", json(202, RUNNING))
                .on("GET", COMMAND, json(200, FINISHED))
                .on("GET", SESSION + "/events", fake.eventsThenSilence(event("session", 1, READY), event("session", 2, READY)));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            Command done = session.run(new CommandRequest().argv(List.of("true")), Duration.ofSeconds(10), chunk -> { });
            assertEquals(CommandStatus.FINISHED, done.getStatus());
        }
    }

    @Test
    void aWatchedCommandIsPostedOnlyOnceItsStreamIsOpen() {
        fake.on("POST", SESSION + "/commands", json(200, FINISHED))
                .on("GET", SESSION + "/events", fake.eventsThenSilence(event("session", 1, READY)));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            session.run(new CommandRequest().argv(List.of("true")), Duration.ofSeconds(10), chunk -> { });
        }
        List<String> order = fake.requests().stream().map(r -> r.method() + " " + r.path())
                .filter(r -> r.endsWith("/events") || r.endsWith("/commands")).toList();
        assertEquals(List.of("GET " + SESSION + "/events", "POST " + SESSION + "/commands"), order);
    }

    @Test
    void filePathSegmentsAreEncoded() {
        fake.on("PUT", SESSION + "/files/a%20b/c%2B.txt", json(200, WRITTEN));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            session.writeFile("a b/c+.txt", new byte[0]);
        }
        assertEquals(1, fake.requests("PUT", SESSION + "/files/a%20b/c%2B.txt").size());
    }

    @Test
    void writeFileSendsTheBytesAsTheBodyAndAnswersTheEntry() {
        fake.on("PUT", SESSION + "/files/data.txt", json(200, WRITTEN));

        FileEntry written;
        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            written = session.writeFile("data.txt", "1 2 3".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(5L, written.getSize());
        FakeCrucible.Request put = fake.requests("PUT", SESSION + "/files/data.txt").getFirst();
        assertEquals("1 2 3", put.body());
        assertEquals("application/octet-stream", put.header("Content-Type"));
    }

    @Test
    void fileRequestsCarryTheKey() {
        fake.on("GET", SESSION + "/files/data.txt", octets(new byte[0]));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            session.readFile("data.txt");
        }
        assertEquals("Bearer cru_test-key", fake.requests("GET", SESSION + "/files/data.txt").getFirst().header("Authorization"));
    }

    @Test
    void readFileAnswersTheFilesBytesAsTheyAre() {
        byte[] notText = {0, (byte) 0xff, (byte) 0xfe, '\n'};
        fake.on("GET", SESSION + "/files/out/data.bin", octets(notText));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            assertArrayEquals(notText, session.readFile("out/data.bin"));
        }
    }

    @Test
    void aFileErrorIsItsProblem() {
        fake.on("GET", SESSION + "/files/missing.txt", problem(404, "not_found", "Not found", "no file missing.txt"));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            CrucibleException missing = assertThrows(CrucibleException.class, () -> session.readFile("missing.txt"));
            assertEquals(404, missing.status());
            assertEquals("not_found", missing.code());
        }
    }

    @Test
    void listFilesOfTheWorkspaceNamesNoFolder() {
        fake.on("GET", SESSION + "/files", json(200,
                "{\"dir\":\"\",\"entries\":[{\"path\":\"data.txt\",\"type\":\"file\",\"size\":6}],\"truncated\":false}"));

        FileListing listing;
        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            listing = session.listFiles("");
        }
        assertEquals("data.txt", listing.getEntries().getFirst().getPath());
        assertNull(fake.requests("GET", SESSION + "/files").getFirst().query());
    }

    @Test
    void keepAliveAnswersTheNewIdleDeadline() {
        fake.on("POST", SESSION + "/keepalive", json(200, session(ID, "ready", "").replace("10:05:00Z", "10:09:00Z")));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            assertEquals(OffsetDateTime.parse("2026-11-21T10:09:00Z"), session.keepAlive().getExpiresAt());
        }
    }

    @Test
    void aSessionThatEndedIsItsProblem() {
        fake.on("POST", SESSION + "/commands",
                problem(409, "session_not_ready", "Session not ready", "session " + ID + " is ended (idle_timeout)"));

        try (Crucible crucible = crucible(); CrucibleSession session = opened(crucible)) {
            CrucibleException ended = assertThrows(CrucibleException.class, () -> session.run("true"));
            assertEquals("session_not_ready", ended.code());
            assertTrue(ended.getMessage().contains("session " + ID + " is ended (idle_timeout)"), ended.getMessage());
        }
    }

    @Test
    void closeEndsTheSession() {
        try (Crucible crucible = crucible()) {
            opened(crucible).close();
        }
        assertEquals(1, fake.requests("DELETE", SESSION).size());
    }
}
