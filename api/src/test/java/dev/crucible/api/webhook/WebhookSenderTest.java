package dev.crucible.api.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender against a receiver on loopback. Loopback is refused by the real policy; these tests
 * pass a policy of their own that allows it, and plain http.
 */
class WebhookSenderTest {
    private HttpServer receiver;
    private final CompletableFuture<Map<String, String>> received = new CompletableFuture<>();
    private final CompletableFuture<byte[]> receivedBody = new CompletableFuture<>();
    private volatile int answer = 204;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        receiver.createContext("/hook", exchange -> {
            receivedBody.complete(exchange.getRequestBody().readAllBytes());
            received.complete(Map.of(
                    "signature", exchange.getRequestHeaders().getFirst("X-Crucible-Signature"),
                    "attempt", exchange.getRequestHeaders().getFirst("X-Crucible-Delivery-Attempt"),
                    "query", String.valueOf(exchange.getRequestURI().getRawQuery())));
            if (answer == 302) {
                exchange.getResponseHeaders().set("Location", "http://10.0.0.1/");
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private CallbackTarget target() {
        return CallbackTarget.resolve("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?run=7", true,
                address -> null, CallbackTarget.Resolver.system());
    }

    @Test
    void bodyArrivesSignedWithTheSecret() throws Exception {
        byte[] body = "{\"verdict\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
        int status = WebhookSender.withDefaultTrust().send(target(), "POST", UUID.randomUUID(), 2, body, "s3cret");
        assertEquals(204, status);
        assertArrayEquals(body, receivedBody.get(5, TimeUnit.SECONDS));
        Map<String, String> headers = received.get(5, TimeUnit.SECONDS);
        assertEquals("sha256=" + WebhookSender.signature(body, "s3cret"), headers.get("signature"));
        assertEquals("2", headers.get("attempt"));
        assertEquals("run=7", headers.get("query"));
    }

    @Test
    void redirectIsReportedNotFollowed() throws Exception {
        answer = 302;
        assertEquals(302, WebhookSender.withDefaultTrust().send(target(), "POST", UUID.randomUUID(), 1, new byte[0], "s"));
    }

    @Test
    void signatureIsHmacSha256OfTheBody() {
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSender.signature("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8), "Jefe"));
    }
}
