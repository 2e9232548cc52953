package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Session messages cross Redis as JSON and come back as the same records. */
class SessionMessagesTest {
    private final Codec codec = new Codec();

    @Test
    void aRunComesBackWithItsProgramStdinAndEnv() {
        SessionRequest.Run run = new SessionRequest.Run(UUID.randomUUID(), UUID.randomUUID(),
                new SessionRequest.Program(List.of("python3", "main.py"), "main.py", new byte[] {1, 2, 0}, List.of()),
                new byte[] {0, (byte) 255}, Map.of("A", "b"), Duration.ofMillis(1500));
        SessionRequest back = codec.read(codec.write(run), SessionRequest.class, "1-0");
        SessionRequest.Run read = (SessionRequest.Run) back;
        assertEquals(run.commandId(), read.commandId());
        assertEquals(run.program().argv(), read.program().argv());
        assertArrayEquals(run.program().source(), read.program().source());
        assertArrayEquals(run.stdin(), read.stdin());
        assertEquals(run.env(), read.env());
        assertEquals(run.timeout(), read.timeout());
    }

    @Test
    void anOpenComesBackWithItsLifetimeAndFiles() {
        SessionRequest.Open open = new SessionRequest.Open(UUID.randomUUID(),
                new SessionRequest.Sandbox("crucible-python:abc", 256L << 20, Duration.ofSeconds(30)),
                new SessionRequest.Lifetime(Duration.ofSeconds(60), Instant.parse("2026-12-06T12:00:00Z")),
                List.of(new SessionRequest.File("a/b.txt", "x".getBytes())), Instant.parse("2026-12-06T11:30:00Z"));
        SessionRequest.Open read = (SessionRequest.Open) codec.read(codec.write(open), SessionRequest.class, "1-0");
        assertEquals(open.sandbox(), read.sandbox());
        assertEquals(open.lifetime(), read.lifetime());
        assertEquals("a/b.txt", read.files().get(0).path());
        assertEquals(open.notAfter(), read.notAfter());
    }

    @Test
    void eventsComeBackAsTheirKind() {
        SessionEvent ended = new SessionEvent.Ended(UUID.randomUUID(), "idle_timeout", null, Instant.parse("2026-12-06T12:00:00Z"));
        assertEquals(ended, codec.read(codec.write(ended), SessionEvent.class, "1-0"));
        SessionEvent started = new SessionEvent.ExecutorStarted("executor-1", "abc", Instant.parse("2026-12-06T12:00:00Z"));
        assertEquals(started, codec.read(codec.write(started), SessionEvent.class, "1-0"));
    }

    @Test
    void aReplyKeepsItsBytesAndEntries() {
        SessionReply reply = new SessionReply(null, null, new byte[] {0, 1}, List.of(new SessionReply.Entry("a", "file", 2)), true, 2);
        SessionReply read = codec.read(codec.write(reply), SessionReply.class, "1-0");
        assertArrayEquals(reply.content(), read.content());
        assertEquals(reply.entries(), read.entries());
        assertEquals(true, read.truncated());
    }
}
