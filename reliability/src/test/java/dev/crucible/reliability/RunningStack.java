package dev.crucible.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.testsupport.Await;
import dev.crucible.testsupport.Sandboxes;
import dev.crucible.testsupport.StackVariables;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The stack that {@code ./crucible test} brought up, as the fault tests handle it: over HTTP on
 * loopback, and as processes found through the launcher's pid files, killed with SIGKILL and brought
 * back with {@code ./crucible up}. A missing variable fails the test; nothing is skipped.
 */
final class RunningStack {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration UP_LIMIT = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api = URI.create(variable("CRUCIBLE_TEST_API_URL"));
    private final String adminKey = variable("CRUCIBLE_TEST_ADMIN_KEY");
    private final Path state = Path.of(variable("CRUCIBLE_TEST_STATE_DIR"));
    private final Path launcher = Path.of(variable("CRUCIBLE_TEST_LAUNCHER"));
    private final URI executorMetrics = URI.create(variable("CRUCIBLE_TEST_EXECUTOR_METRICS_URL"));

    static String variable(String name) {
        return StackVariables.variable(name);
    }

    record Answer(int status, String contentType, JsonNode body) {}

    String adminKey() {
        return adminKey;
    }

    Answer send(String method, String path, String json, String key, Map<String, String> headers) {
        return attempt(method, path, json, key, headers)
                .orElseThrow(() -> new AssertionError(method + " " + path + " got no answer: the api is not reachable"));
    }

    /** As {@link #send}, but empty when no answer came (the api down, the connection cut), as a retrying client sees it. */
    Optional<Answer> attempt(String method, String path, String json, String key, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + key);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    json(method + " " + path, response)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonNode json(String request, HttpResponse<String> response) {
        try {
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(request + " answered " + response.statusCode() + " with a body that is not JSON: " + response.body(), e);
        }
    }

    /** Submits without waiting and returns the new submission's id; the api must accept it. */
    String submit(String runtime, String source) {
        Answer answer = send("POST", "/v1/submissions",
                "{\"runtime\":" + JSON.valueToTree(runtime) + ",\"source\":" + JSON.valueToTree(source)
                        + ",\"limits\":{\"wall_time_ms\":20000}}", adminKey, Map.of());
        assertEquals(202, answer.status(), () -> "submit answered " + answer.body());
        return answer.body().get("id").asText();
    }

    JsonNode submission(String id) {
        Answer answer = send("GET", "/v1/submissions/" + id, null, adminKey, Map.of());
        assertEquals(200, answer.status(), () -> "GET " + id + " answered " + answer.body());
        return answer.body();
    }

    /** Polls until every submission is final, then returns them in the order given. */
    List<JsonNode> awaitFinal(List<String> ids, Duration limit) {
        List<JsonNode> last = new ArrayList<>();
        awaitTrue("submissions " + ids + " to be final", limit, () -> {
            last.clear();
            ids.forEach(id -> last.add(submission(id)));
            return last.stream().allMatch(s -> !s.get("status").asText().matches("queued|running"));
        });
        return last;
    }

    /** Polls {@code condition} every 100 ms until it holds; fails the test with {@code what} when it does not in time. */
    static void awaitTrue(String what, Duration limit, BooleanSupplier condition) {
        Await.until(what, limit, condition);
    }

    /** Polls until no sandbox of a run is left; the failure names those that are. */
    static void awaitNoSandboxLeft(Duration limit) {
        try {
            awaitTrue("no used sandbox left", limit, () -> Sandboxes.existing() == 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; left: " + Sandboxes.existingNames(), e);
        }
    }

    /** Submits as {@link #submit} does, waiting while the key has its most submissions in flight (429). */
    String submitWhenAdmitted(String runtime, String source, Duration limit) {
        String[] id = new String[1];
        String body = "{\"runtime\":" + JSON.valueToTree(runtime) + ",\"source\":" + JSON.valueToTree(source)
                + ",\"limits\":{\"wall_time_ms\":20000}}";
        awaitTrue("the api to admit a submission", limit, () -> {
            Answer answer = send("POST", "/v1/submissions", body, adminKey, Map.of());
            if (answer.status() == 429) {
                return false;
            }
            assertEquals(202, answer.status(), () -> "submit answered " + answer.body());
            id[0] = answer.body().get("id").asText();
            return true;
        });
        return id[0];
    }

    /**
     * SIGKILLs one part of the stack by its launcher pid file, after checking that the pid is still
     * that part (pid files can outlive their process), and waits until it is gone.
     */
    void kill(String part) {
        ProcessHandle process = process(part);
        process.destroyForcibly();
        awaitTrue(part + " (pid " + process.pid() + ") to die", Duration.ofSeconds(15), () -> !process.isAlive());
    }

    private ProcessHandle process(String part) {
        try {
            long pid = Long.parseLong(Files.readString(state.resolve("run").resolve(part + ".pid")).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .orElseThrow(() -> new AssertionError(part + " (pid " + pid + ") is not running"));
        } catch (IOException e) {
            throw new AssertionError("no pid file for " + part + ": " + e, e);
        }
    }

    /** Stops PostgreSQL as a crash would: immediate shutdown, no checkpoint. */
    void crashPostgres() {
        run(List.of("runuser", "-u", "postgres", "--", pgCtl().toString(), "-D", state.resolve("postgres").toString(),
                "-m", "immediate", "-w", "stop"), Duration.ofSeconds(60));
    }

    private static Path pgCtl() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pg_ctl")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError("no pg_ctl under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new AssertionError("cannot look for pg_ctl: " + e, e);
        }
    }

    /** {@code ./crucible up}: brings back whatever is down, leaving the rest alone. */
    void up() {
        run(List.of(launcher.toString(), "up"), UP_LIMIT);
    }

    /** {@code ./crucible backup FILE}: a dump of the database. */
    void backup(Path file) {
        run(List.of(launcher.toString(), "backup", file.toString()), Duration.ofSeconds(60));
    }

    /** {@code ./crucible restore FILE}: the api stopped, the database replaced with the dump's, the api started and ready. */
    void restore(Path file) {
        run(List.of(launcher.toString(), "restore", file.toString()), Duration.ofMinutes(2));
    }

    private void run(List<String> argv, Duration limit) {
        try {
            Path log = Files.createTempFile("crucible-reliability", ".log");
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(argv + " took longer than " + limit + "; its output: " + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                fail(argv + " exited " + process.exitValue() + ": " + Files.readString(log));
            }
            Files.delete(log);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The sum of one metric's samples in a Prometheus text page, or 0 when it has none. */
    static double metricSum(String page, String name) {
        return page.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    String executorMetrics() {
        return page(executorMetrics, null);
    }

    String apiMetrics() {
        return page(api.resolve("/metrics"), adminKey);
    }

    private String page(URI uri, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), () -> uri + " answered " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
