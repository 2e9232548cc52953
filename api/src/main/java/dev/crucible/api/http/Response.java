package dev.crucible.api.http;

/** What a route answers: a status and a body that is written as JSON. */
public record Response(int status, Object body) {
    public static Response ok(Object body) {
        return new Response(200, body);
    }
}
