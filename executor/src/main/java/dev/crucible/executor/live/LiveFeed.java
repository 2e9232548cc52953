package dev.crucible.executor.live;

import dev.crucible.executor.sandbox.OutputTap;
import dev.crucible.queue.LiveOutput;
import dev.crucible.queue.OutputChunk;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's (or one session command's) live output: what its sandboxes print, batched into chunks of at most {@link #CHUNK_BYTES}
 * or {@link #FLUSH_AFTER} of output, whichever comes first, and appended to {@link LiveOutput} until
 * the job's {@code cap} is reached. It never slows the program: appends do not wait, and a failing
 * Redis costs the watchers their view, not the job its result.
 *
 * <p>Closing it flushes what is left and waits (up to {@link #CLOSE_WAIT}) until Redis holds every
 * chunk, so that the job's result, published after, never overtakes its output.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final int CHUNK_BYTES = 4096;
    static final Duration FLUSH_AFTER = Duration.ofMillis(100);
    /** Chunks of one job at most: a program printing a byte every 100 ms does not make thousands. */
    static final int MAX_CHUNKS = 2048;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** Where jobs' live output goes, and how much of each: a cap of 0 sends none. */
    public record Settings(LiveOutput output, long cap) {
        public static final Settings OFF = new Settings(null, 0);
    }

    private final Settings settings;
    /** The submission, or the session, whose live output this is. */
    private final UUID streamId;
    /** The session's command that prints it; null for a submission. */
    private final UUID command;
    private long sentBytes;
    private int sentChunks;
    private boolean capped;
    private CompletableFuture<Void> lastAppend = CompletableFuture.completedFuture(null);
    private boolean failed;

    /** A submission's feed. */
    public LiveFeed(Settings settings, UUID submissionId) {
        this(settings, submissionId, null);
    }

    private LiveFeed(Settings settings, UUID streamId, UUID command) {
        this.settings = settings;
        this.streamId = streamId;
        this.command = command;
        this.capped = settings.cap() <= 0;
    }

    /** A session command's feed: its chunks join the session's live output, each naming the command; the cap is the command's. */
    public static LiveFeed ofCommand(Settings settings, UUID sessionId, UUID commandId) {
        return new LiveFeed(settings, sessionId, commandId);
    }

    /** A tap for one sandbox of the job; what it keeps is flushed when the sandbox's run is done ({@link Part#close}). */
    public Part part(OutputChunk.Stage stage, Integer test, Integer run) {
        return new Part(stage, test, run);
    }

    /** Appends the chunk, or its head that fits the cap, marked as the last. */
    private synchronized void send(OutputChunk.Stage stage, Integer test, Integer run, OutputChunk.Stream stream, byte[] bytes) {
        if (capped || bytes.length == 0) {
            return;
        }
        int room = (int) Math.min(bytes.length, settings.cap() - sentBytes);
        boolean last = room < bytes.length || sentChunks + 1 >= MAX_CHUNKS;
        String text = new String(bytes, 0, utf8Boundary(bytes, room), StandardCharsets.UTF_8);
        sentBytes += room;
        sentChunks++;
        capped = last;
        OutputChunk chunk = new OutputChunk(stage, test, run, command, stream, text, last);
        try {
            lastAppend = settings.output().append(streamId, chunk).exceptionally(this::appendFailed);
        } catch (RuntimeException e) {
            appendFailed(e);
        }
    }

    private synchronized Void appendFailed(Throwable failure) {
        if (!failed) {
            failed = true;
            log.warn("live output of {} {} is incomplete: {}", command == null ? "submission" : "session", streamId, failure.toString());
        }
        return null;
    }

    @Override
    public void close() {
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = lastAppend;
        }
        try {
            // Redis runs one connection's commands in order: the last one done means all are.
            pending.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            appendFailed(e);
        }
    }

    /** The end of the bytes before {@code length} that cut no UTF-8 sequence in two. */
    static int utf8Boundary(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xff;
            if (b < 0x80) {
                return length; // ASCII: nothing is cut
            }
            if (b >= 0xc0) {
                int needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return back < needed ? length - back : length;
            }
        }
        return length; // continuation bytes only: not UTF-8 anyway, shown as U+FFFD
    }

    /**
     * The tap of one sandbox: stdout and stderr apart, each flushed at {@link #CHUNK_BYTES}, and
     * {@link #FLUSH_AFTER} after the first byte of a batch.
     */
    public final class Part implements OutputTap, AutoCloseable {
        private final OutputChunk.Stage stage;
        private final Integer test;
        private final Integer run;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private boolean flushPending;

        private Part(OutputChunk.Stage stage, Integer test, Integer run) {
            this.stage = stage;
            this.test = test;
            this.run = run;
        }

        @Override
        public void take(Stream stream, byte[] bytes) {
            synchronized (this) {
                if (capped()) {
                    return;
                }
                ByteArrayOutputStream buffer = stream == Stream.STDERR ? stderr : stdout;
                buffer.write(bytes, 0, bytes.length);
                if (buffer.size() >= CHUNK_BYTES) {
                    flush(false);
                } else if (!flushPending) {
                    flushPending = true;
                    Thread.ofVirtual().name("live-output-flush").start(this::flushLater);
                }
            }
        }

        private void flushLater() {
            try {
                Thread.sleep(FLUSH_AFTER);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                flushPending = false;
                flush(false);
            }
        }

        /** Sends what is buffered; a sequence cut at the end waits for its rest, unless this is the end. */
        private void flush(boolean atEnd) {
            send(OutputChunk.Stream.STDOUT, stdout, atEnd);
            send(OutputChunk.Stream.STDERR, stderr, atEnd);
        }

        /** In chunks of at most {@link #CHUNK_BYTES}, each cut where no UTF-8 sequence is cut in two. */
        private void send(OutputChunk.Stream stream, ByteArrayOutputStream buffer, boolean atEnd) {
            byte[] bytes = buffer.toByteArray();
            int end = atEnd ? bytes.length : utf8Boundary(bytes, bytes.length);
            buffer.reset();
            buffer.write(bytes, end, bytes.length - end);
            for (int from = 0; from < end; ) {
                // The boundary looks back at most 3 bytes from the cut: a chunk is never empty.
                int to = from + CHUNK_BYTES >= end ? end : utf8Boundary(bytes, from + CHUNK_BYTES);
                LiveFeed.this.send(stage, test, run, stream, Arrays.copyOfRange(bytes, from, to));
                from = to;
            }
        }

        /** Sends what is left: the sandbox's run is over. */
        @Override
        public synchronized void close() {
            flush(true);
        }
    }

    private synchronized boolean capped() {
        return capped;
    }
}
