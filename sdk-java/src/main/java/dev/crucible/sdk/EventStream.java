package dev.crucible.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Following one event stream ({@code GET .../events} of a submission or a session) to the event that
 * ends it. The stream ends by itself after a while on the server (10 minutes) and may break or go quiet
 * on the way; each time it is connected again, with the Last-Event-ID it got to, and starts with the
 * state as it is.
 */
final class EventStream {
    /** An error answer's body is read this far, for its problem. */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    /** What one follow makes of the events, across its connections. */
    interface Reader<T> {
        /** The answer when this event is the last one wanted, else null. */
        T event(ServerSentEvents.Event event) throws IOException;

        /** What is thrown when the deadline passes first. */
        CrucibleException late();
    }

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final Duration timeout;
    private final Duration idle;
    private final Duration firstRetry;
    private final Duration longestRetry;

    EventStream(HttpClient http, URI base, String authorization, Duration timeout, Duration idle, Duration firstRetry,
                Duration longestRetry) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
        this.timeout = timeout;
        this.idle = idle;
        this.firstRetry = firstRetry;
        this.longestRetry = longestRetry;
    }

    /** Follows {@code path} (from {@code /v1/}) until {@code reader} answers, or {@code end} (System.nanoTime) passes. */
    <T> T follow(String path, long end, Reader<T> reader) {
        URI events = URI.create(base + path);
        Backoff backoff = new Backoff(firstRetry, longestRetry);
        String lastEventId = null;
        // A watchdog closes a stream that is past the deadline or silent too long: a blocked read then ends.
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "crucible-stream-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        try {
            while (System.nanoTime() - end < 0) {
                Connection<T> connection = new Connection<>(reader);
                try {
                    T done = connection.read(events, lastEventId, end, watchdog);
                    if (done != null) {
                        return done;
                    }
                } catch (IOException broken) {
                    if (broken instanceof SSLException) {
                        throw new CrucibleException("no TLS connection to " + base + ": " + CrucibleException.describe(broken), broken);
                    }
                    // Reconnected below, within the deadline.
                } catch (CrucibleException refused) {
                    if (!Crucible.retryable(refused)) {
                        throw refused;
                    }
                }
                if (connection.progressed) {
                    backoff.reset();
                }
                if (connection.lastEventId != null) {
                    lastEventId = connection.lastEventId;
                }
                backoff.sleep(end);
            }
            throw reader.late();
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** One connection of the stream; what it got to stays on it for the next one. */
    private final class Connection<T> {
        private final Reader<T> reader;
        private final ServerSentEvents parser = new ServerSentEvents();
        private T result;
        private boolean progressed;
        private String lastEventId;

        Connection(Reader<T> reader) {
            this.reader = reader;
        }

        /** The reader's answer, or null when the stream ended before it. */
        T read(URI events, String resumeFrom, long end, ScheduledExecutorService watchdog) throws IOException {
            long left = end - System.nanoTime();
            HttpRequest.Builder request = HttpRequest.newBuilder(events).GET()
                    .timeout(Duration.ofNanos(Math.min(timeout.toNanos(), Math.max(left, 1))))
                    .header("Authorization", authorization)
                    .header("Accept", "text/event-stream");
            if (resumeFrom != null) {
                request.header("Last-Event-ID", resumeFrom);
            }
            HttpResponse<InputStream> response;
            try {
                // The timeout bounds the wait for the answer's head; the body, as long as it lasts, is the watchdog's.
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CrucibleException("interrupted while connecting to " + events, e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    String text = new String(body.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
                    throw CrucibleException.answer(response.statusCode(), text);
                }
                AtomicLong lastLine = new AtomicLong(System.nanoTime());
                Runnable close = () -> {
                    try {
                        body.close();
                    } catch (IOException ignored) {
                        // Closing is all that is wanted; the reader sees the stream end.
                    }
                };
                ScheduledFuture<?> atDeadline = watchdog.schedule(close, end - System.nanoTime(), TimeUnit.NANOSECONDS);
                ScheduledFuture<?> whenSilent = watchdog.scheduleWithFixedDelay(() -> {
                    if (System.nanoTime() - lastLine.get() >= idle.toNanos()) {
                        close.run();
                    }
                }, tick(), tick(), TimeUnit.NANOSECONDS);
                try {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    parser.read(lines, () -> lastLine.set(System.nanoTime()), this::handle);
                } catch (UncheckedIOException unreadable) {
                    throw new CrucibleException("the event stream of " + events + " sent what is not its JSON: "
                            + CrucibleException.describe(unreadable.getCause()), unreadable.getCause());
                } finally {
                    atDeadline.cancel(false);
                    whenSilent.cancel(false);
                    lastEventId = parser.lastEventId();
                }
                return result;
            }
        }

        private long tick() {
            return Math.max(Duration.ofMillis(10).toNanos(), Math.min(Duration.ofSeconds(1).toNanos(), idle.toNanos() / 4));
        }

        /** True once the reader has its answer: the stream need not be read further. */
        private boolean handle(ServerSentEvents.Event event) {
            progressed = true;
            try {
                result = reader.event(event);
            } catch (IOException e) {
                // Apart from the connection's own IOExceptions: JSON that cannot be read is not mended by reconnecting.
                throw new UncheckedIOException(e);
            }
            return result != null;
        }
    }
}
