package dev.crucible.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.testsupport.StackVariables;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The running stack that {@code ./crucible test} brings up, as integration tests reach it: over HTTP
 * on loopback, with the admin key. A missing variable fails the test; nothing is skipped.
 */
public final class StackUnderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base = URI.create(variable("CRUCIBLE_TEST_API_URL"));
    private final String adminKey = variable("CRUCIBLE_TEST_ADMIN_KEY");

    /** A test variable, for the api's tests that reach the stack by other means than this class. */
    public static String variable(String name) {
        return StackVariables.variable(name);
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

    public Answer delete(String path, String key) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).DELETE().build());
    }

    public String adminKey() {
        return adminKey;
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
