package dev.crucible.executor.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.sandbox.OutputTap;
import dev.crucible.queue.LiveOutput;
import dev.crucible.queue.OutputChunk;
import dev.crucible.testsupport.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LiveFeedTest {
    private static final UUID SUBMISSION = UUID.randomUUID();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFullChunkIsSentAtOnce() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 1 << 20), SUBMISSION).part(OutputChunk.Stage.RUN, null, null);
        part.take(OutputTap.Stream.STDOUT, new byte[LiveFeed.CHUNK_BYTES]);
        assertEquals(1, output.chunks.size());
        assertEquals(LiveFeed.CHUNK_BYTES, output.chunks.getFirst().text().length());
    }

    @Test
    void oneLargeWriteIsSentInChunksOfAtMostTheChunkSize() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 1 << 20), SUBMISSION).part(OutputChunk.Stage.RUN, null, null);
        part.take(OutputTap.Stream.STDOUT, bytes("é".repeat(5000))); // 10000 bytes, two to a character
        assertTrue(output.chunks.stream().allMatch(c -> c.text().getBytes(StandardCharsets.UTF_8).length <= LiveFeed.CHUNK_BYTES),
                "chunk sizes: " + output.chunks.stream().map(c -> c.text().length()).toList());
        part.close();
        assertEquals("é".repeat(5000), output.text(OutputChunk.Stream.STDOUT), "no character is cut in two");
    }

    @Test
    void aSmallWriteIsSentWithoutWaitingForTheRunToEnd() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 1 << 20), SUBMISSION).part(OutputChunk.Stage.RUN, null, null);
        part.take(OutputTap.Stream.STDOUT, bytes("line 1\n"));
        Await.until("the flush after the first byte", Duration.ofSeconds(5), () -> !output.chunks.isEmpty());
        assertEquals("line 1\n", output.text(OutputChunk.Stream.STDOUT));
    }

    @Test
    void writesCloseTogetherGoInOneChunk() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        try (LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 1 << 20), SUBMISSION).part(OutputChunk.Stage.RUN, null, null)) {
            for (int i = 0; i < 100; i++) {
                part.take(OutputTap.Stream.STDOUT, bytes("x"));
            }
        }
        assertTrue(output.chunks.size() <= 2, "100 one-byte writes made " + output.chunks.size() + " chunks");
        assertEquals("x".repeat(100), output.text(OutputChunk.Stream.STDOUT));
    }

    @Test
    void aCharacterSplitAcrossWritesArrivesWhole() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        byte[] e = bytes("é");
        try (LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 1 << 20), SUBMISSION).part(OutputChunk.Stage.RUN, null, null)) {
            part.take(OutputTap.Stream.STDOUT, new byte[] {e[0]});
            part.take(OutputTap.Stream.STDOUT, new byte[] {e[1]});
        }
        assertEquals("é", output.text(OutputChunk.Stream.STDOUT));
    }

    @Test
    void stdoutAndStderrStayApart() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        try (LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 1 << 20), SUBMISSION).part(OutputChunk.Stage.RUN, 2, null)) {
            part.take(OutputTap.Stream.STDOUT, bytes("out"));
            part.take(OutputTap.Stream.STDERR, bytes("err"));
        }
        assertEquals("out", output.text(OutputChunk.Stream.STDOUT));
        assertEquals("err", output.text(OutputChunk.Stream.STDERR));
        assertTrue(output.chunks.stream().allMatch(c -> c.test() == 2 && c.run() == null && c.stage() == OutputChunk.Stage.RUN));
    }

    @Test
    void theJobsLiveOutputStopsAtItsCapWithTheLastChunkMarked() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        LiveFeed feed = new LiveFeed(new LiveFeed.Settings(output, 10), SUBMISSION);
        try (LiveFeed.Part first = feed.part(OutputChunk.Stage.RUN, 0, null)) {
            first.take(OutputTap.Stream.STDOUT, bytes("0123456"));
        }
        try (LiveFeed.Part second = feed.part(OutputChunk.Stage.RUN, 1, null)) {
            second.take(OutputTap.Stream.STDOUT, bytes("789abcdef"));
        }
        assertEquals("0123456789", output.text(OutputChunk.Stream.STDOUT));
        assertTrue(output.chunks.getLast().capped());
        assertEquals(1, output.chunks.stream().filter(OutputChunk::capped).count());
    }

    @Test
    void aCapOfZeroSendsNothing() {
        RecordedLiveOutput output = new RecordedLiveOutput();
        try (LiveFeed.Part part = new LiveFeed(new LiveFeed.Settings(output, 0), SUBMISSION).part(OutputChunk.Stage.RUN, null, null)) {
            part.take(OutputTap.Stream.STDOUT, bytes("hello"));
        }
        assertTrue(output.chunks.isEmpty());
    }

    @Test
    void aFailingRedisDoesNotReachTheProgramsReader() {
        LiveOutput failing = new LiveOutput() {
            @Override
            public CompletableFuture<Void> append(UUID submissionId, OutputChunk chunk) {
                return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
            }

            @Override
            public Page read(UUID submissionId, String after, int max) {
                throw new UnsupportedOperationException();
            }
        };
        LiveFeed feed = new LiveFeed(new LiveFeed.Settings(failing, 1 << 20), SUBMISSION);
        try (feed; LiveFeed.Part part = feed.part(OutputChunk.Stage.RUN, null, null)) {
            part.take(OutputTap.Stream.STDOUT, new byte[LiveFeed.CHUNK_BYTES]);
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aBoundaryNeverCutsAUtf8Sequence() {
        byte[] euro = bytes("a€"); // 61 e2 82 ac
        assertEquals(1, LiveFeed.utf8Boundary(euro, 2));
        assertEquals(1, LiveFeed.utf8Boundary(euro, 3));
        assertEquals(4, LiveFeed.utf8Boundary(euro, 4));
        assertEquals(1, LiveFeed.utf8Boundary(euro, 1));
    }
}
