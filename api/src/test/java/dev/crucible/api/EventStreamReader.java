package dev.crucible.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;

/** An event stream of the running stack read as a client reads it: line by line, until the server ends it. */
public final class EventStreamReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventStreamReader() {}

    /** @param atNanos when the client read it */
    public record Event(String name, String id, JsonNode data, long atNanos) {}

    /** Opens {@code path} of the api; the answer comes once the server sent its headers. */
    public static HttpResponse<InputStream> open(String path, String key, String lastEventId) {
        URI uri = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL") + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted opening " + uri, e);
        }
    }

    /** Reads events until the server ends the stream. */
    public static List<Event> readAll(HttpResponse<InputStream> response) {
        List<Event> events = new ArrayList<>();
        try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(name, id, JSON.readTree(data.toString()), System.nanoTime()));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event stream failed after " + events.size() + " events: " + events, e);
        }
        return events;
    }
}
