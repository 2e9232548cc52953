package dev.crucible.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The sandbox containers of the running stack, as Docker lists them through the socket proxy. */
public final class Sandboxes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sandboxes() {}

    /** Sandbox containers that exist now, running or not. */
    public static int existing() {
        URI docker = URI.create(StackVariables.variable("CRUCIBLE_TEST_DOCKER_HOST").replace("tcp://", "http://"));
        String filter = URLEncoder.encode("{\"label\":[\"dev.crucible.sandbox\"]}", StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(docker.resolve("/v1.41/containers/json?all=true&filters=" + filter))
                            .timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("the Docker proxy answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body()).size();
        } catch (IOException e) {
            throw new AssertionError("cannot ask Docker for sandboxes: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Polls until no sandbox exists, at most {@code limit}; runs of earlier tests may still be finishing. */
    public static boolean noneWithin(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (existing() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
