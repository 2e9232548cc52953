package dev.crucible.api.http;

import com.sun.net.httpserver.Headers;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Who is on the other end of a request. The peer is the client unless it is one of the proxies
 * configured as trusted (nginx, on loopback); only then are {@code X-Forwarded-For} and
 * {@code X-Real-IP} read, since any other process could send them with any address in them.
 */
public final class TrustedProxies {
    private final Set<InetAddress> proxies;

    public TrustedProxies(List<InetAddress> proxies) {
        this.proxies = Set.copyOf(proxies);
    }

    /**
     * The client's address as text. From a trusted peer: the rightmost {@code X-Forwarded-For} hop
     * that is not itself a trusted proxy (those left of it were written by whoever the client is, and
     * prove nothing), else {@code X-Real-IP}, else the peer. A hop that is not an address literal ends
     * the walk at the last trusted one.
     */
    String clientOf(InetAddress peer, Headers headers) {
        if (!proxies.contains(peer)) {
            return peer.getHostAddress();
        }
        List<String> forwarded = headers.getOrDefault("X-Forwarded-For", List.of());
        if (!forwarded.isEmpty()) {
            InetAddress nearest = peer;
            List<String> hops = forwarded.stream().flatMap(value -> List.of(value.split(",")).stream()).map(String::strip).toList();
            for (String hop : hops.reversed()) {
                InetAddress address = literal(hop);
                if (address == null) {
                    break;
                }
                nearest = address;
                if (!proxies.contains(address)) {
                    break;
                }
            }
            return nearest.getHostAddress();
        }
        InetAddress realIp = literal(headers.getFirst("X-Real-IP"));
        return (realIp == null ? peer : realIp).getHostAddress();
    }

    /** The address the text is a literal of; null for anything else, host names included: nothing is looked up. */
    private static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
