package dev.crucible.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The sandbox containers of the running stack, as Docker lists them through the socket proxy. */
public final class Sandboxes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sandboxes() {}

    /** The executor's idle pool sandboxes are named so; a run renames the one it takes. */
    private static final String POOL_NAME = "/crucible-pool-";

    /**
     * Sandbox containers that serve or served a run and exist now, running or not; the idle ones of
     * the executor's pool are not counted.
     */
    public static int existing() {
        return (int) names().stream().filter(name -> !name.startsWith(POOL_NAME)).count();
    }

    /** The names of those {@link #existing} counts, for a failure's message. */
    public static List<String> existingNames() {
        return names().stream().filter(name -> !name.startsWith(POOL_NAME)).toList();
    }

    /** Idle sandboxes of the executor's pool that exist now. */
    public static int idleInPool() {
        return (int) names().stream().filter(name -> name.startsWith(POOL_NAME)).count();
    }

    /** gVisor sandbox processes ({@code runsc-sandbox}) on this host, one per sandbox that still runs. */
    public static long gvisorProcesses() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Files.readString(p.resolve("cmdline")).startsWith("runsc-sandbox\0");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e, e);
        }
    }

    private static List<String> names() {
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
