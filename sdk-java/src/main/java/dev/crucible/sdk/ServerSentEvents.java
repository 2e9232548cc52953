package dev.crucible.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Server-Sent Events parser, as the WHATWG HTML standard interprets an event stream: fed one line at a
 * time (without its CR, LF or CRLF), it gives an event at each blank line that ends one. Comments
 * ({@code : keep-alive}) and unknown fields are skipped, {@code data} lines are joined by LF, and the
 * last {@code id} carries over to later events that name none. An event cut off by the end of the
 * stream is dropped, as the standard says.
 */
final class ServerSentEvents {
    /** One event; {@code type} is {@code message} when the stream named none. */
    record Event(String type, String id, String data) {}

    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String lastId;
    private boolean started;

    /** Parses one line; an event when this line was the blank line ending one. */
    Optional<Event> line(String line) {
        if (!started) {
            started = true;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> { } // retry and fields of later versions: nothing this client uses
        }
        return Optional.empty();
    }

    private Optional<Event> dispatch() {
        if (data.isEmpty()) {
            type = "";
            return Optional.empty();
        }
        data.setLength(data.length() - 1);
        Event event = new Event(type.isEmpty() ? "message" : type, lastId, data.toString());
        data.setLength(0);
        type = "";
        return Optional.of(event);
    }

    /** The id of the last event that had one (or a later {@code id} line): what a reconnect sends as Last-Event-ID. */
    String lastEventId() {
        return lastId;
    }

    /**
     * Reads {@code reader}, giving {@code done} each event, until it answers true (then true) or the stream
     * ends (then false). {@code onLine} runs for every line read, comments too: the proof that the
     * connection is alive. A BufferedReader splits lines at CR, LF and CRLF, exactly the standard's line ends.
     */
    boolean read(BufferedReader reader, Runnable onLine, Predicate<Event> done) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            onLine.run();
            Optional<Event> event = line(line);
            if (event.isPresent() && done.test(event.get())) {
                return true;
            }
        }
        return false;
    }
}
