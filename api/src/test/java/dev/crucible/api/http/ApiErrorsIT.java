package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.StackUnderTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Refusals through the real api: each gets the one problem schema and changes nothing. */
class ApiErrorsIT {
    private final StackUnderTest stack = new StackUnderTest();

    @Test
    void requestWithoutKeyIsUnauthorized() {
        var answer = stack.post("/v1/submissions", "application/json", "{\"runtime\":\"python\",\"source\":\"print(1)\"}", null);
        assertProblem(answer, 401, "unauthorized");
        assertEquals("Bearer", answer.raw().headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void requestWithWrongKeyIsUnauthorized() {
        assertProblem(stack.get("/v1/runtimes", "cru_not-a-real-key-at-all-000000000"), 401, "unauthorized");
    }

    @Test
    void healthAndReadyNeedNoKey() {
        assertEquals(200, stack.get("/v1/health", null).status());
        var ready = stack.get("/v1/ready", null);
        assertEquals(200, ready.status(), ready.raw().body());
        assertTrue(ready.body().get("ready").asBoolean());
    }

    @Test
    void malformedJsonIsRejectedAndNothingIsStored() throws SQLException {
        long before = storedSubmissions();
        var answer = stack.post("/v1/submissions", "application/json", "{\"runtime\": \"python\", \"source\": ", stack.adminKey());
        assertProblem(answer, 400, "malformed_json");
        assertEquals(before, storedSubmissions(), "a refused request must not store a submission");
    }

    @Test
    void invalidUtf8IsRejected() {
        var answer = stack.post("/v1/submissions", "application/json",
                new String(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}, java.nio.charset.StandardCharsets.ISO_8859_1), stack.adminKey());
        assertEquals(400, answer.status());
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        assertProblem(stack.post("/v1/submissions", "text/plain", "{}", stack.adminKey()), 415, "unsupported_media_type");
    }

    @Test
    void unknownRuntimeIsUnprocessable() {
        assertProblem(stack.post("/v1/submissions", "application/json", "{\"runtime\":\"cobol\",\"source\":\"x\"}", stack.adminKey()),
                422, "unknown_runtime");
    }

    @Test
    void zeroWallTimeIsRefusedNotUnlimited() {
        var answer = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":\"x\",\"limits\":{\"wall_time_ms\":0}}", stack.adminKey());
        assertProblem(answer, 422, "invalid_request");
        assertEquals("limits.wall_time_ms", answer.body().get("errors").get(0).get("field").asText());
    }

    @Test
    void pathTraversalIsRefused() {
        var answer = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"files\":[{\"path\":\"../etc/passwd\",\"content\":\"x\"}]}", stack.adminKey());
        assertProblem(answer, 422, "invalid_request");
        assertEquals("files[0].path", answer.body().get("errors").get(0).get("field").asText());
    }

    @Test
    void oversizedBodyIsTooLarge() {
        String big = "{\"runtime\":\"python\",\"source\":\"" + "x".repeat(5 << 20) + "\"}";
        assertProblem(stack.post("/v1/submissions", "application/json", big, stack.adminKey()), 413, "payload_too_large");
    }

    @Test
    void callbackToAnInnerAddressIsRefusedAndNothingIsStored() throws SQLException {
        long before = storedSubmissions();
        for (String url : new String[] {"https://127.0.0.1/hook", "https://10.0.0.1/hook", "https://169.254.169.254/latest",
                "https://[::1]/", "http://93.184.216.34/hook", "https://user@93.184.216.34/"}) {
            var answer = stack.post("/v1/submissions", "application/json",
                    "{\"runtime\":\"python\",\"source\":\"print(1)\",\"callback_url\":\"" + url + "\"}", stack.adminKey());
            assertProblem(answer, 400, "invalid_callback_url");
        }
        assertEquals(before, storedSubmissions());
    }

    @Test
    void unknownSubmissionIsNotFound() {
        assertProblem(stack.get("/v1/submissions/00000000-0000-0000-0000-000000000000", stack.adminKey()), 404, "not_found");
    }

    private static void assertProblem(StackUnderTest.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.raw().body());
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(code, answer.body().get("code").asText());
        assertEquals(status, answer.body().get("status").asInt());
        assertTrue(answer.body().get("detail").asText().length() > 5, "the detail says what went wrong");
    }

    private static long storedSubmissions() throws SQLException {
        try (Connection db = DriverManager.getConnection(StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL"),
                StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER"), StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD"));
             ResultSet rows = db.createStatement().executeQuery("select count(*) from submissions")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
