package dev.crucible.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.crucible.api.auth.Authenticator;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.model.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link HttpHandler}: routes, authenticates, checks the caller's role against the route's
 * {@link Access}, runs the route, and writes its answer. Every
 * exception ends here and becomes a problem+json response; none escapes to the server (which would
 * drop the connection without a word).
 */
public final class HttpEdge implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(HttpEdge.class);
    /** Metric labels must not take whatever a client sends: any other method counts as "other". */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final Router router;
    private final Authenticator authenticator;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final TrustedProxies proxies;

    public HttpEdge(Router router, Authenticator authenticator, ObjectMapper mapper, MeterRegistry meters, TrustedProxies proxies) {
        this.router = router;
        this.authenticator = authenticator;
        this.mapper = mapper;
        this.meters = meters;
        this.proxies = proxies;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String route = "unmatched";
        boolean bareRefusals = false;
        try {
            Router.Match match = router.match(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            route = match.template();
            bareRefusals = match.access() instanceof Access.Key key && key.bareRefusals();
            Request request = new Request(exchange, match.pathParameters());
            Response response = switch (match.access()) {
                case Access.Public _ -> match.route().handle(request);
                case Access.Key key -> {
                    Caller caller = key.admit(authenticator.authenticate(exchange, clientAddress(exchange), key.anonymousKeyId(),
                            key.keyHeader()));
                    yield ScopedValue.where(Caller.CURRENT, caller).call(() -> match.route().handle(request));
                }
            };
            try (AutoCloseable _ = response.held()) {
                if (response.body() instanceof Response.Text text) {
                    send(exchange, response.status(), text.contentType(), text.content().getBytes(StandardCharsets.UTF_8));
                } else if (response.body() instanceof Response.Stream stream) {
                    stream(exchange, response.status(), stream);
                } else if (response.held() != null) {
                    // A large answer is written as it is serialized: no second copy of it in the heap.
                    streamJson(exchange, response.status(), response.body());
                } else {
                    byte[] body = response.body() == null ? new byte[0] : mapper.writeValueAsBytes(response.body());
                    send(exchange, response.status(), "application/json", body);
                }
            }
        } catch (ApiException e) {
            if (e.status() >= 500 && e.retryAfter().isPresent()) {
                // Load shed on purpose (a full queue, a spent response budget): the server works as meant.
                log.info("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e.getMessage());
            } else if (e.status() >= 500) {
                log.error("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e.getMessage(), e.getCause());
            }
            if (e instanceof ApiException.MethodNotAllowed notAllowed) {
                exchange.getResponseHeaders().set("Allow", notAllowed.allowed());
            }
            e.retryAfterHeader().ifPresent(seconds -> exchange.getResponseHeaders().set("Retry-After", seconds));
            if (e instanceof ApiException.Unauthorized) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            if (bareRefusals && (e instanceof ApiException.Unauthorized || e instanceof ApiException.Forbidden)) {
                bare(exchange, e.status());
            } else {
                problem(exchange, e.status(), e.code(), e.getMessage(), e);
            }
        } catch (Throwable t) {
            if (clientWentAway(t)) {
                // A client that closes an event stream or stops waiting is not the server failing.
                log.info("{} {}: the client went away before the answer was whole: {}",
                        exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), clientFailure(t).getMessage());
            } else if (databaseUnreachable(t)) {
                log.error("{} {}: database unavailable: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), t.getMessage());
                problem(exchange, 503, Problem.CodeEnum.SERVICE_UNAVAILABLE, "the database is unavailable; try again shortly", null);
            } else {
                log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), t);
                problem(exchange, 500, Problem.CodeEnum.INTERNAL_ERROR, "the server failed to handle this request; it has been logged", null);
            }
        } finally {
            exchange.close();
            Timer.builder("crucible_http_requests").description("HTTP requests by route and status")
                    .tags("method", METHODS.contains(exchange.getRequestMethod()) ? exchange.getRequestMethod() : "other",
                            "route", route, "status", Integer.toString(exchange.getResponseCode()))
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The failure is the client's connection failing under a write ({@link ClientGone}), itself or as
     * the cause of another exception: a stream's writer may wrap what its output threw (in an
     * UncheckedIOException, say). Any other IOException, a "Broken pipe" to Redis or a webhook's
     * receiver among them, is the server's own and not the client's going away.
     */
    static boolean clientWentAway(Throwable failure) {
        return clientFailure(failure) != null;
    }

    /** The {@link ClientGone} in the failure's causes, or null. */
    private static ClientGone clientFailure(Throwable failure) {
        // Bounded: a cause chain can be made circular.
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof ClientGone gone) {
                return gone;
            }
        }
        return null;
    }

    /**
     * No connection could be had, or the one in hand broke (SQLSTATE class 08, or 57P01..57P03: the
     * server is shutting down or starting): the database is away, not the request wrong.
     */
    static boolean databaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: forwarding headers count only from a trusted proxy, since every local
     * process can reach the api and any of them could claim any address.
     */
    private String clientAddress(HttpExchange exchange) {
        return proxies.clientOf(exchange.getRemoteAddress().getAddress(), exchange.getRequestHeaders());
    }

    private void problem(HttpExchange exchange, int status, Problem.CodeEnum code, String detail, ApiException cause) {
        if (exchange.getResponseCode() != -1) {
            return; // headers are out already; closing the exchange is all that is left
        }
        Problem problem = new Problem("urn:crucible:problem:" + code.value(), title(status), status, code, detail)
                .instance(exchange.getRequestURI().getRawPath());
        problem.setErrors(cause == null || cause.errors().isEmpty() ? null : cause.errors());
        try {
            send(exchange, status, "application/problem+json", mapper.writeValueAsBytes(problem));
        } catch (IOException | RuntimeException e) {
            if (clientWentAway(e)) {
                log.info("cannot send a {} problem to {}: the client went away: {}", status, exchange.getRemoteAddress(), e.getMessage());
            } else {
                log.warn("cannot send a {} problem to {}: {}", status, exchange.getRemoteAddress(), e.toString());
            }
        }
    }

    /** A status without a body, for a route whose clients' servers answer refusals so ({@link Access.Key#bareRefusals()}). */
    private static void bare(HttpExchange exchange, int status) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            sendHeaders(exchange, status, -1);
        } catch (IOException e) {
            if (clientWentAway(e)) {
                log.info("cannot send a bare {} to {}: the client went away: {}", status, exchange.getRemoteAddress(), e.getMessage());
            } else {
                log.warn("cannot send a bare {} to {}: {}", status, exchange.getRemoteAddress(), e.toString());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        setHeaders(exchange, contentType);
        sendHeaders(exchange, status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = new ToClient(exchange.getResponseBody())) {
            out.write(body);
        }
    }

    private static void stream(HttpExchange exchange, int status, Response.Stream stream) throws IOException {
        setHeaders(exchange, stream.contentType());
        // nginx would otherwise hold events back until its buffer fills.
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        sendHeaders(exchange, status, 0);
        try (OutputStream out = new ToClient(exchange.getResponseBody())) {
            stream.writer().writeTo(out);
        }
    }

    private void streamJson(HttpExchange exchange, int status, Object body) throws IOException {
        setHeaders(exchange, "application/json");
        sendHeaders(exchange, status, 0);
        try (OutputStream out = new ToClient(exchange.getResponseBody())) {
            mapper.writeValue(out, body);
        }
    }

    private static void sendHeaders(HttpExchange exchange, int status, long length) throws ClientGone {
        try {
            exchange.sendResponseHeaders(status, length);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** The connection to the client failed under a write: it closed or reset it before the answer was whole. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    /**
     * The response body, whose failures are the client's going away. Told apart here, where the
     * bytes go to the socket, because a stream's writer throws IOException for its own failures as
     * well (a value that cannot be serialized), and those are the server's.
     */
    static final class ToClient extends FilterOutputStream {
        ToClient(OutputStream toSocket) {
            super(toSocket);
        }

        @Override
        public void write(int b) throws ClientGone {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws ClientGone {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void flush() throws ClientGone {
            try {
                out.flush();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void close() throws ClientGone {
            try {
                out.close();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }
    }

    /** The headers every answer carries, whole or streamed. */
    private static void setHeaders(HttpExchange exchange, String contentType) {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
