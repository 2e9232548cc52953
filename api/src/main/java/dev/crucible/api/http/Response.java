package dev.crucible.api.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What a route answers: a status and a body, written as JSON unless it is {@link Text} or {@link Stream};
 * and what the answer holds until it is sent (its share of a {@link ResponseBudget}), which the edge
 * closes once it is, or once it failed.
 */
public record Response(int status, Object body, AutoCloseable held) {
    public Response(int status, Object body) {
        this(status, body, null);
    }

    public static Response ok(Object body) {
        return new Response(200, body);
    }

    /** A body written as it is, with its own content type. */
    public record Text(String content, String contentType) {}

    /**
     * A body written bit by bit as it happens (Server-Sent Events), after the headers are out: what
     * fails from there on can only close the connection.
     */
    public record Stream(String contentType, Writer writer) {
        @FunctionalInterface
        public interface Writer {
            void writeTo(OutputStream out) throws IOException;
        }
    }
}
