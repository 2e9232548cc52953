package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.Headers;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static final InetAddress NGINX = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress ELSEWHERE = InetAddress.ofLiteral("192.0.2.7");
    private final TrustedProxies proxies = new TrustedProxies(List.of(NGINX, InetAddress.ofLiteral("10.0.0.2")));

    private static Headers headers(String name, String value) {
        Headers headers = new Headers();
        headers.add(name, value);
        return headers;
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertEquals("192.0.2.7", proxies.clientOf(ELSEWHERE, headers("X-Forwarded-For", "203.0.113.9")));
    }

    @Test
    void realIpFromAnUntrustedPeerIsIgnored() {
        assertEquals("192.0.2.7", proxies.clientOf(ELSEWHERE, headers("X-Real-IP", "203.0.113.9")));
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClient() {
        assertEquals("198.51.100.4", proxies.clientOf(NGINX, headers("X-Forwarded-For", "198.51.100.4")));
    }

    @Test
    void rightmostUntrustedHopIsTheClient() {
        // The leftmost hop is whatever the client wrote; 10.0.0.2 is a trusted proxy of ours.
        assertEquals("198.51.100.4", proxies.clientOf(NGINX, headers("X-Forwarded-For", "203.0.113.9, 198.51.100.4, 10.0.0.2")));
    }

    @Test
    void hopsOfSeveralHeaderLinesAreReadInOrder() {
        Headers headers = headers("X-Forwarded-For", "203.0.113.9");
        headers.add("X-Forwarded-For", "198.51.100.4");
        assertEquals("198.51.100.4", proxies.clientOf(NGINX, headers));
    }

    @Test
    void hopThatIsNotAnAddressEndsTheWalkAtTheLastTrustedOne() {
        assertEquals("10.0.0.2", proxies.clientOf(NGINX, headers("X-Forwarded-For", "198.51.100.4, unknown, 10.0.0.2")));
    }

    @Test
    void realIpFromATrustedProxyNamesTheClientWithoutForwardedFor() {
        assertEquals("198.51.100.4", proxies.clientOf(NGINX, headers("X-Real-IP", "198.51.100.4")));
    }

    @Test
    void trustedPeerWithoutHeadersIsTheClient() {
        assertEquals("127.0.0.1", proxies.clientOf(NGINX, new Headers()));
    }
}
