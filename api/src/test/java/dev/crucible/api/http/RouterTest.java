package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router()
            .add("POST", "/v1/submissions", Access.anyKey(), r -> Response.ok("create"))
            .add("GET", "/v1/submissions/{id}", Access.anyKey(), r -> Response.ok(r.pathParameter("id")))
            .add("GET", "/v1/health", Access.PUBLIC, r -> Response.ok("health"))
            .add("GET", "/v1/sessions/{id}/files/{path...}", Access.anyKey(), r -> Response.ok(r.pathParameter("path")));

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
    void aRestParameterTakesTheRemainingSegmentsRaw() {
        assertEquals("src/main.py", router.match("GET", "/v1/sessions/s/files/src/main.py").pathParameters().get("path"));
        assertEquals("src%2Fmain.py", router.match("GET", "/v1/sessions/s/files/src%2Fmain.py").pathParameters().get("path"));
        assertThrows(ApiException.NotFound.class, () -> router.match("GET", "/v1/sessions/s/files"));
    }

    @Test
    void aRestParameterIsListedAsTheContractNamesIt() {
        assertTrue(router.routes().containsKey("GET /v1/sessions/{id}/files/{path}"));
    }

    @Test
    void publicAndKeyedRoutesAreTold() {
        assertEquals(Access.PUBLIC, router.match("GET", "/v1/health").access());
    }
}
