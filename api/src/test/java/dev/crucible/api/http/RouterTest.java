package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router()
            .add("POST", "/v1/submissions", Access.anyKey(), r -> Response.ok("create"))
            .add("GET", "/v1/submissions/{id}", Access.anyKey(), r -> Response.ok(r.pathParameter("id")))
            .add("GET", "/v1/health", Access.PUBLIC, r -> Response.ok("health"));

    @Test
    void bindsPathParameters() {
        assertEquals("abc", router.match("GET", "/v1/submissions/abc").pathParameters().get("id"));
    }

    @Test
    void wrongMethodOnAKnownPathIsNotAllowed() {
        var e = assertThrows(ApiException.MethodNotAllowed.class, () -> router.match("DELETE", "/v1/health"));
        assertEquals("GET", e.allowed());
    }

    @Test
    void unknownPathIsNotFound() {
        assertThrows(ApiException.NotFound.class, () -> router.match("GET", "/v1/healthz"));
    }

    @Test
    void extraSegmentsDoNotMatch() {
        assertThrows(ApiException.NotFound.class, () -> router.match("GET", "/v1/submissions/a/b"));
    }

    @Test
    void publicAndKeyedRoutesAreTold() {
        assertEquals(Access.PUBLIC, router.match("GET", "/v1/health").access());
    }
}
