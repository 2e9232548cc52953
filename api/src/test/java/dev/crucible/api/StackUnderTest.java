package dev.crucible.api;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The running stack that {@code ./crucible test} brings up, as integration tests reach it: over HTTP
 * on loopback, with the admin key. A missing variable fails the test; nothing is skipped.
 */
public final class StackUnderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base = URI.create(variable("CRUCIBLE_TEST_API_URL"));
    private final String adminKey = variable("CRUCIBLE_TEST_ADMIN_KEY");

    public static String variable(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            fail(name + " is not set: run the integration tests through ./crucible test");
        }
        return value;
    }

    public record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {}

    public Answer post(String path, String contentType, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    public Answer submit(String json) {
        return post("/v1/submissions?wait=true", "application/json", json, adminKey);
    }

    public Answer get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    public String adminKey() {
        return adminKey;
    }

    /** Polls until no sandbox exists; runs of earlier tests may still be finishing. */
    public static boolean noSandboxWithin(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (sandboxContainers() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /**
     * Sandbox containers that serve or served a run and exist now, running or not, asked of Docker
     * through the proxy; the idle ones of the executor's pool (named crucible-pool-...) are not counted.
     */
    public static int sandboxContainers() {
        return (int) sandboxes().stream().filter(name -> !name.startsWith("/crucible-pool-")).count();
    }

    /** Idle sandboxes of the executor's pool that exist now. */
    public static int idlePoolSandboxes() {
        return (int) sandboxes().stream().filter(name -> name.startsWith("/crucible-pool-")).count();
    }

    /** The names of the sandbox containers that exist now. */
    private static List<String> sandboxes() {
        URI docker = URI.create(variable("CRUCIBLE_TEST_DOCKER_HOST").replace("tcp://", "http://"));
        String filter = java.net.URLEncoder.encode("{\"label\":[\"dev.crucible.sandbox\"]}", java.nio.charset.StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(docker.resolve("/v1.41/containers/json?all=true&filters=" + filter))
                            .timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("the Docker proxy answered " + response.statusCode() + ": " + response.body());
            }
            List<String> names = new ArrayList<>();
            JSON.readTree(response.body()).forEach(container -> names.add(container.path("Names").path(0).asText()));
            return names;
        } catch (IOException e) {
            throw new AssertionError("cannot ask Docker for sandboxes: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body, response);
        } catch (IOException e) {
            throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
