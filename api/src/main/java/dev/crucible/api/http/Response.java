package dev.crucible.api.http;

/** What a route answers: a status and a body, written as JSON unless it is {@link Text}. */
public record Response(int status, Object body) {
    public static Response ok(Object body) {
        return new Response(200, body);
    }

    /** A body written as it is, with its own content type. */
    public record Text(String content, String contentType) {}
}
