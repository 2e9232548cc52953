package dev.crucible.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A few Crucible endpoints on 127.0.0.1, answering what a test scripts: per method and path, answers in
 * turn, the last one again for every later request. Every request is kept for the test to check.
 */
public final class FakeCrucible implements AutoCloseable {
    /** A request as it came. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** How one request is answered. */
    public interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Released at close: answers that hold a connection open wait on it. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private FakeCrucible(HttpServer server) {
        this.server = server;
        server.setExecutor(handlers); // an answer that holds its connection must not hold the others
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeCrucible start() throws IOException {
        return new FakeCrucible(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
    }

    /** Over TLS with the server's key and certificate in {@code tls}. */
    public static FakeCrucible startTls(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeCrucible(server);
    }

    public URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Scripts {@code method path}: the answers in turn, the last one from then on. */
    public FakeCrucible on(String method, String path, Answer... inTurn) {
        answers.put(method + " " + path, new ArrayDeque<>(List.of(inTurn)));
        return this;
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Deque<Answer> inTurn = answers.get(exchange.getRequestMethod() + " " + uri.getRawPath());
            Answer answer;
            if (inTurn == null) {
                answer = problem(404, "not_found", "Not found", "the fake has no " + uri.getRawPath());
            } else {
                synchronized (inTurn) {
                    answer = inTurn.size() > 1 ? inTurn.poll() : inTurn.peek();
                }
            }
            answer.answer(exchange);
        }
    }

    public static Answer json(int status, String json) {
        return exchange -> send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A file's raw bytes, as a session's download answers. */
    public static Answer octets(byte[] content) {
        return exchange -> send(exchange, 200, "application/octet-stream", content);
    }

    public static Answer problem(int status, String code, String title, String detail) {
        String json = "{\"type\":\"urn:crucible:problem:" + code + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"code\":\"" + code + "\",\"detail\":\"" + detail + "\"}";
        return exchange -> send(exchange, status, "application/problem+json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** An event stream of these pieces (each sent and flushed in turn), then its end. */
    public static Answer events(String... pieces) {
        return exchange -> {
            OutputStream out = openStream(exchange);
            for (String piece : pieces) {
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /** An event stream of these pieces that then stays open, silent, until the client goes or the fake closes. */
    public Answer eventsThenSilence(String... pieces) {
        return exchange -> {
            events(pieces).answer(exchange);
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** The head of a 200 event stream; the body is written by the caller. */
    public static OutputStream openStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    /** {@code event: type} with this JSON. */
    public static String event(String type, int id, String json) {
        return "event: " + type + "\nid: " + id + "\ndata: " + json + "\n\n";
    }

    /** {@code event: submission} with this JSON. */
    public static String submissionEvent(int id, String json) {
        return event("submission", id, json);
    }

    /** {@code event: output} with this JSON. */
    public static String outputEvent(int id, String json) {
        return event("output", id, json);
    }

    /** A Submission's JSON: its id, status and runtime, and {@code more} (JSON members, or empty). */
    public static String submission(String id, String status, String more) {
        return object("\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"runtime\":\"python\","
                + "\"created_at\":\"2026-11-21T10:00:00Z\"", more);
    }

    /** A Session's JSON: its id and status, the defaults, and {@code more} (JSON members, or empty). */
    public static String session(String id, String status, String more) {
        return object("\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"runtime\":\"python\","
                + "\"limits\":{\"memory_mb\":256,\"command_wall_time_ms\":30000},\"idle_timeout_s\":300,\"max_lifetime_s\":1800,"
                + "\"created_at\":\"2026-11-21T10:00:00Z\",\"expires_at\":\"2026-11-21T10:05:00Z\"", more);
    }

    /** A session's Command's JSON: its id, session and status, and {@code more} (JSON members, or empty). */
    public static String command(String id, String session, String status, String more) {
        return object("\"id\":\"" + id + "\",\"session_id\":\"" + session + "\",\"status\":\"" + status + "\","
                + "\"created_at\":\"2026-11-21T10:00:01Z\"", more);
    }

    private static String object(String members, String more) {
        return "{" + members + (more.isEmpty() ? "" : "," + more) + "}";
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
