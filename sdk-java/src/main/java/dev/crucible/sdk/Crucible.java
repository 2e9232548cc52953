package dev.crucible.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.sdk.api.KeysApi;
import dev.crucible.sdk.api.RuntimesApi;
import dev.crucible.sdk.api.SessionsApi;
import dev.crucible.sdk.api.SubmissionsApi;
import dev.crucible.sdk.api.SystemApi;
import dev.crucible.sdk.model.Runtime;
import dev.crucible.sdk.model.SessionRequest;
import dev.crucible.sdk.model.Submission;
import dev.crucible.sdk.model.SubmissionRequest;
import dev.crucible.sdk.model.SubmissionStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The Crucible API in a few calls, over the generated client ({@link #submissionsApi()} and the others
 * for everything else):
 *
 * <pre>{@code
 * try (Crucible crucible = Crucible.builder(URI.create("https://127.0.0.1:8443"), key)
 *         .trustCertificate(Path.of(".crucible/tls/cert.pem"))
 *         .build()) {
 *     Submission done = crucible.run(new SubmissionRequest().runtime("python").source("print('hello')"));
 * }
 * }</pre>
 *
 * {@link #openSession} opens a sandbox that lives across several commands, a {@link CrucibleSession}.
 * Every failure is an unchecked {@link CrucibleException}. Thread-safe; one instance holds one HTTP
 * client (its connections), which {@link #close()} lets go.
 */
public final class Crucible implements AutoCloseable {
    private final URI base;
    private final HttpClient http;
    private final ApiClient client;
    private final SubmissionsApi submissions;
    private final SessionsApi sessions;
    private final RuntimesApi runtimes;
    private final KeysApi keys;
    private final SystemApi system;
    private final ObjectMapper mapper;
    private final String authorization;
    private final EventStream events;
    private final Builder settings;

    private Crucible(Builder settings) {
        this.settings = settings;
        this.base = settings.base;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.certificate != null) {
            SSLContext tls = Tls.trusting(settings.certificate);
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.mapper = ApiClient.createDefaultObjectMapper();
        this.client = new SharedHttpApiClient(http, mapper, base.toString());
        client.setReadTimeout(settings.timeout);
        client.setConnectTimeout(settings.connectTimeout);
        this.authorization = "Bearer " + settings.key;
        client.setRequestInterceptor(request -> request.header("Authorization", authorization));
        this.submissions = new SubmissionsApi(client);
        this.sessions = new SessionsApi(client);
        this.runtimes = new RuntimesApi(client);
        this.keys = new KeysApi(client);
        this.system = new SystemApi(client);
        this.events = new EventStream(http, base, authorization, settings.timeout, settings.streamIdle, settings.firstPoll,
                settings.longestPoll);
    }

    /** A client of the server at {@code base} (say {@code https://crucible.example.com}) with the defaults. */
    public static Crucible connect(URI base, String key) {
        return builder(base, key).build();
    }

    /** The settings of a client, from their defaults; each method answers a new builder. */
    public static Builder builder(URI base, String key) {
        return new Builder(base, key);
    }

    /**
     * Runs a submission to its end: posts it with {@code wait=true} and, when the server's longest wait
     * ({@code CRUCIBLE_MAX_WAIT_MS}) passes first (202, not final), polls it until it is final, within the
     * builder's {@link Builder#deadline(Duration) deadline}.
     */
    public Submission run(SubmissionRequest request) {
        return run(request, settings.deadline);
    }

    /** {@link #run(SubmissionRequest)} within {@code deadline}, from this call to the final result. */
    public Submission run(SubmissionRequest request, Duration deadline) {
        Objects.requireNonNull(request, "request");
        long end = deadlineNanos(deadline);
        // A key of its own: should the wait outlast this client's timeout, the same request again answers
        // with the submission already made instead of running the program twice.
        String idempotencyKey = UUID.randomUUID().toString();
        Submission first;
        try {
            first = submissions.createSubmissionWithHttpInfo(request, true, idempotencyKey).getData();
        } catch (ApiException e) {
            if (!(e.getCause() instanceof HttpTimeoutException)) {
                throw CrucibleException.of(e);
            }
            first = call(() -> submissions.createSubmission(request, false, idempotencyKey));
        }
        Submission answered = present(first, "POST /v1/submissions");
        if (isFinal(answered)) {
            return answered;
        }
        return poll(answered.getId(), end, deadline);
    }

    /** Posts a submission and answers at once with it, queued (202): follow it with {@link #watch} or {@link #awaitFinal}. */
    public Submission submit(SubmissionRequest request) {
        Objects.requireNonNull(request, "request");
        return present(call(() -> submissions.createSubmission(request, false, null)), "POST /v1/submissions");
    }

    /** The submission as it is now. */
    public Submission get(UUID id) {
        return present(call(() -> submissions.getSubmission(id, null)), "GET /v1/submissions/" + id);
    }

    /**
     * Polls the submission, with waits from the builder's {@link Builder#polling polling} first to its
     * longest, until it is final; a {@link CrucibleTimeoutException} when it is not within {@code deadline}.
     * An answer that did not come, or a 429, 502, 503 or 504, is polled again.
     */
    public Submission awaitFinal(UUID id, Duration deadline) {
        return poll(Objects.requireNonNull(id, "id"), deadlineNanos(deadline), deadline);
    }

    /**
     * Follows the submission on its event stream ({@code GET /v1/submissions/{id}/events}) until it is
     * final, giving {@code listener} each state and each piece of live output, on this thread. A stream
     * that ends early, goes quiet (no keep-alive for a while) or breaks is connected again.
     */
    public Submission watch(UUID id, Duration deadline, SubmissionListener listener) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(listener, "listener");
        return events.follow("/v1/submissions/" + id + "/events", deadlineNanos(deadline), new EventStream.Reader<>() {
            private SubmissionStatus lastStatus;

            @Override
            public Submission event(ServerSentEvents.Event event) throws IOException {
                switch (event.type()) {
                    case "submission" -> {
                        Submission state = mapper.readValue(event.data(), Submission.class);
                        lastStatus = state.getStatus();
                        listener.submission(state);
                        return isFinal(state) ? state : null;
                    }
                    case "output" -> listener.output(OutputChunk.of(mapper.readTree(event.data())));
                    default -> { } // events of later versions
                }
                return null;
            }

            @Override
            public CrucibleException late() {
                return new CrucibleTimeoutException(id, lastStatus, deadline);
            }
        });
    }

    /** Cancels a queued or running submission (409, a CrucibleException, when it is final already). */
    public Submission cancel(UUID id) {
        return present(call(() -> submissions.cancelSubmission(id, false)), "DELETE /v1/submissions/" + id);
    }

    /**
     * Opens a session of {@code runtime} with the server's defaults: {@link #openSession(SessionRequest)}.
     */
    public CrucibleSession openSession(String runtime) {
        return openSession(new SessionRequest().runtime(Objects.requireNonNull(runtime, "runtime")));
    }

    /**
     * Opens a session ({@code POST /v1/sessions}: its limits, idle timeout, lifetime and first files as
     * {@code request} says) and answers it once it is ready: a start the server answered {@code starting}
     * is polled until it is, within the builder's {@link Builder#deadline(Duration) deadline}. A start
     * that failed ({@code ended}) is a CrucibleException with its reason and message; one not ready in
     * time is ended before the CrucibleException. {@link CrucibleSession#close()} ends it.
     */
    public CrucibleSession openSession(SessionRequest request) {
        return CrucibleSession.open(this, Objects.requireNonNull(request, "request"));
    }

    /** The languages the server runs. */
    public List<Runtime> runtimes() {
        return present(call(runtimes::listRuntimes), "GET /v1/runtimes");
    }

    /** Completed or cancelled: nothing about it changes any more. */
    public static boolean isFinal(Submission submission) {
        return submission.getStatus() == SubmissionStatus.COMPLETED || submission.getStatus() == SubmissionStatus.CANCELLED;
    }

    /** The generated submissions API (batches, listing, purge, ...) on this client's connection and key. */
    public SubmissionsApi submissionsApi() {
        return submissions;
    }

    /** The generated sessions API (listing every session, commands by id, ...) on this client's connection and key. */
    public SessionsApi sessionsApi() {
        return sessions;
    }

    public RuntimesApi runtimesApi() {
        return runtimes;
    }

    public KeysApi keysApi() {
        return keys;
    }

    public SystemApi systemApi() {
        return system;
    }

    /** The generated client itself, for the other generated APIs ({@code new Judge0Api(crucible.apiClient())}). */
    public ApiClient apiClient() {
        return client;
    }

    public URI baseUri() {
        return base;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "Crucible[" + base + "]"; // never the key
    }

    private Submission poll(UUID id, long end, Duration deadline) {
        return poll(() -> get(id), Crucible::isFinal, end,
                last -> new CrucibleTimeoutException(id, last == null ? null : last.getStatus(), deadline));
    }

    /**
     * Reads until {@code done} takes what was read, with waits from the builder's {@link Builder#polling
     * polling}; a read that met something passing ({@link #retryable}) is tried again. Past {@code end}
     * (System.nanoTime), what {@code late} makes of the last thing read (null when none was) is thrown.
     */
    <T> T poll(Supplier<T> read, Predicate<T> done, long end, Function<T, CrucibleException> late) {
        Backoff backoff = new Backoff(settings.firstPoll, settings.longestPoll);
        T last = null;
        while (true) {
            try {
                T now = read.get();
                if (done.test(now)) {
                    return now;
                }
                last = now;
            } catch (CrucibleException e) {
                if (!retryable(e) || System.nanoTime() - end >= 0) {
                    throw e;
                }
            }
            if (System.nanoTime() - end >= 0) {
                throw late.apply(last);
            }
            backoff.sleep(end);
        }
    }

    /**
     * A request the generated client cannot make (raw bytes, a path of segments) on this client's
     * connection, key and timeout: the body of a 2xx answer, else its CrucibleException.
     */
    byte[] send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(settings.timeout).header("Authorization", authorization).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw CrucibleException.noAnswer(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrucibleException("interrupted while waiting for " + built.method() + " " + built.uri(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw CrucibleException.answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    <T> T follow(String path, long end, EventStream.Reader<T> reader) {
        return events.follow(path, end, reader);
    }

    /** The builder's {@link Builder#deadline(Duration) deadline}. */
    Duration deadline() {
        return settings.deadline;
    }

    /** What may pass by itself: no answer, a limit, the api restarting behind the proxy. */
    static boolean retryable(CrucibleException e) {
        int status = e.status();
        if (status == 0) {
            // A broken or refused connection may mend; a certificate not trusted, or an interrupt, does not.
            return e.getCause() instanceof IOException && !(e.getCause() instanceof SSLException);
        }
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    static long deadlineNanos(Duration deadline) {
        Builder.requirePositive(deadline, "deadline");
        return System.nanoTime() + deadline.toNanos();
    }

    static <T> T present(T answer, String call) {
        if (answer == null) {
            throw new CrucibleException("an empty answer to " + call, null);
        }
        return answer;
    }

    interface Call<T> {
        T call() throws ApiException;
    }

    static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            throw CrucibleException.of(e);
        }
    }

    /** The generated APIs each build an HttpClient of their own from the builder; here they share one. */
    private static final class SharedHttpApiClient extends ApiClient {
        private final HttpClient http;

        SharedHttpApiClient(HttpClient http, ObjectMapper mapper, String base) {
            super(HttpClient.newBuilder(), mapper, base);
            this.http = http;
        }

        @Override
        public HttpClient getHttpClient() {
            return http;
        }
    }

    /** A client's settings, immutable: each method answers a new builder, so one can be shared and varied. */
    public static final class Builder {
        private static final Duration TIMEOUT = Duration.ofSeconds(60);
        private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
        private static final Duration DEADLINE = Duration.ofMinutes(5);
        private static final Duration FIRST_POLL = Duration.ofMillis(200);
        private static final Duration LONGEST_POLL = Duration.ofSeconds(2);
        /** Three of the server's 15-second keep-alives missed: the connection is taken for dead. */
        private static final Duration STREAM_IDLE = Duration.ofSeconds(45);

        private final URI base;
        private final String key;
        private final Path certificate;
        private final Duration timeout;
        private final Duration connectTimeout;
        private final Duration deadline;
        private final Duration firstPoll;
        private final Duration longestPoll;
        private final Duration streamIdle;

        private Builder(URI base, String key) {
            this(checkedBase(base), checkedKey(key), null, TIMEOUT, CONNECT_TIMEOUT, DEADLINE, FIRST_POLL, LONGEST_POLL,
                    STREAM_IDLE);
        }

        private Builder(URI base, String key, Path certificate, Duration timeout, Duration connectTimeout,
                        Duration deadline, Duration firstPoll, Duration longestPoll, Duration streamIdle) {
            this.base = base;
            this.key = key;
            this.certificate = certificate;
            this.timeout = timeout;
            this.connectTimeout = connectTimeout;
            this.deadline = deadline;
            this.firstPoll = firstPoll;
            this.longestPoll = longestPoll;
            this.streamIdle = streamIdle;
        }

        /**
         * Trusts exactly the certificates in this PEM file for TLS (the server's self-signed certificate,
         * or a private CA), instead of the system's CAs. Read when {@link #build()} runs.
         */
        public Builder trustCertificate(Path pem) {
            return new Builder(base, key, Objects.requireNonNull(pem, "pem"), timeout, connectTimeout, deadline,
                    firstPoll, longestPoll, streamIdle);
        }

        /**
         * How long one request may take to be answered (60 s by default). Keep it above the server's
         * {@code CRUCIBLE_MAX_WAIT_MS} (30 s by default), or {@link #run} waits for the server in polls only.
         */
        public Builder timeout(Duration perRequest) {
            return new Builder(base, key, certificate, requirePositive(perRequest, "timeout"), connectTimeout, deadline,
                    firstPoll, longestPoll, streamIdle);
        }

        /** How long making a connection may take (10 s by default). */
        public Builder connectTimeout(Duration connect) {
            return new Builder(base, key, certificate, timeout, requirePositive(connect, "connect timeout"), deadline,
                    firstPoll, longestPoll, streamIdle);
        }

        /** How long {@link #run(SubmissionRequest)} waits for the final result in all (5 minutes by default). */
        public Builder deadline(Duration overall) {
            return new Builder(base, key, certificate, timeout, connectTimeout, requirePositive(overall, "deadline"),
                    firstPoll, longestPoll, streamIdle);
        }

        /** The first wait between polls, doubled each time up to {@code longest} (200 ms up to 2 s by default). */
        public Builder polling(Duration first, Duration longest) {
            requirePositive(first, "first poll");
            requirePositive(longest, "longest poll");
            if (longest.compareTo(first) < 0) {
                throw new IllegalArgumentException("the longest poll (" + longest + ") is shorter than the first (" + first + ")");
            }
            return new Builder(base, key, certificate, timeout, connectTimeout, deadline, first, longest, streamIdle);
        }

        /** How long an event stream may stay silent before it is connected again; for tests, as the server's keep-alive is fixed. */
        Builder streamIdle(Duration idle) {
            return new Builder(base, key, certificate, timeout, connectTimeout, deadline, firstPoll, longestPoll,
                    requirePositive(idle, "stream idle"));
        }

        /** The client; a certificate file that cannot be read or trusted is a CrucibleException here. */
        public Crucible build() {
            return new Crucible(this);
        }

        @Override
        public String toString() {
            return "Crucible.Builder[" + base + "]"; // never the key
        }

        static Duration requirePositive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the " + what + " must be positive, not " + value);
            }
            return value;
        }

        private static URI checkedBase(URI base) {
            Objects.requireNonNull(base, "base");
            String scheme = base.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || base.getHost() == null) {
                throw new IllegalArgumentException("the base is an http or https URI with a host, like https://127.0.0.1:8443, not " + base);
            }
            if (base.getRawQuery() != null || base.getRawFragment() != null) {
                throw new IllegalArgumentException("the base URI takes no query or fragment: " + base);
            }
            // The generated client appends /v1/...: a trailing slash would make //v1/.
            String text = base.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            return URI.create(text);
        }

        private static String checkedKey(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("the API key is empty or holds characters no key has (spaces, line breaks)");
            }
            return key;
        }
    }
}
