package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.model.Problem;
import dev.crucible.api.model.SubmissionRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyTest {
    private final JsonBody body = new JsonBody(Json.mapper(), 1 << 20);

    private static FakeExchange posting(InputStream content) {
        return new FakeExchange("POST", "/v1/submissions", "application/json", content);
    }

    private static FakeExchange posting(String json) {
        return posting(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAKeyGivenTwiceAsMalformedJson() {
        var e = assertThrows(ApiException.MalformedJson.class, () -> body.read(
                posting("{\"runtime\":\"python\",\"source\":\"1\",\"runtime\":\"ruby\"}"), SubmissionRequest.class));
        assertEquals(Problem.CodeEnum.MALFORMED_JSON, e.code());
    }

    @Test
    void refusesAKeyGivenTwiceInANestedObject() {
        assertThrows(ApiException.MalformedJson.class, () -> body.read(
                posting("{\"runtime\":\"python\",\"files\":[{\"path\":\"a.py\",\"content\":\"1\",\"path\":\"b.py\"}]}"),
                SubmissionRequest.class));
    }

    @Test
    void aBodyShorterThanItsFramingIsABadRequestThatClosesTheConnection() {
        // What the JDK's FixedLengthInputStream does when the peer stops before Content-Length.
        InputStream shortBody = new InputStream() {
            private final InputStream sent = new ByteArrayInputStream("{\"runtime\"".getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                int b = sent.read();
                if (b < 0) {
                    throw new IOException("connection closed before all data received");
                }
                return b;
            }
        };
        FakeExchange exchange = posting(shortBody);
        var e = assertThrows(ApiException.class, () -> body.read(exchange, SubmissionRequest.class));
        assertEquals(400, e.status());
        assertEquals("close", exchange.getResponseHeaders().getFirst("Connection"));
    }

    private static FakeExchange postingAsPlainText(String json) {
        return new FakeExchange("POST", "/api/v2/execute", "text/plain;charset=UTF-8",
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsJsonSentAsPlainTextWhereThatIsAccepted() {
        SubmissionRequest read = body.alsoAccepting("text/plain").read(postingAsPlainText("{\"runtime\":\"python\"}"),
                SubmissionRequest.class);
        assertEquals("python", read.getRuntime());
    }

    @Test
    void refusesJsonSentAsPlainTextElsewhere() {
        assertThrows(ApiException.UnsupportedMediaType.class,
                () -> body.read(postingAsPlainText("{\"runtime\":\"python\"}"), SubmissionRequest.class));
    }
}
