package dev.crucible.api.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address ranges a webhook may never reach: this host, private networks, link-local (where
 * cloud metadata services live), shared and reserved space, and the IPv6 forms that embed an IPv4
 * address (compatible, mapped, translated, NAT64, 6to4, Teredo), which could smuggle any of those.
 * Those forms are refused by prefix, whatever IPv4 address they embed: none is needed to reach a
 * public receiver, which always has a plain address too.
 */
final class PublicAddresses {
    private record Range(byte[] prefix, int bits, String why) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0", 8, "'this network'"),
            range("10.0.0.0", 8, "a private network"),
            range("100.64.0.0", 10, "shared address space (carrier NAT)"),
            range("127.0.0.0", 8, "loopback"),
            range("169.254.0.0", 16, "link-local (cloud metadata lives here)"),
            range("172.16.0.0", 12, "a private network"),
            range("192.0.0.0", 24, "IETF protocol assignments"),
            range("192.0.2.0", 24, "documentation"),
            range("192.88.99.0", 24, "6to4 relay"),
            range("192.168.0.0", 16, "a private network"),
            range("198.18.0.0", 15, "benchmarking"),
            range("198.51.100.0", 24, "documentation"),
            range("203.0.113.0", 24, "documentation"),
            range("224.0.0.0", 4, "multicast"),
            range("240.0.0.0", 4, "reserved"),
            // All of ::/8, not its named parts: the unspecified and loopback addresses and the
            // IPv4-compatible (::a.b.c.d), mapped (::ffff:0:0/96) and translated (::ffff:0:0:0/96)
            // forms all live here, and nothing in it is public unicast.
            range("::", 8, "reserved by the IETF (loopback, unspecified or an embedded IPv4 form)"),
            range("64:ff9b::", 96, "NAT64 (embeds an IPv4 address)"),
            range("64:ff9b:1::", 48, "local NAT64"),
            range("100::", 64, "discard-only"),
            range("2001::", 23, "IETF protocol assignments (Teredo among them)"),
            range("2001:db8::", 32, "documentation"),
            range("2002::", 16, "6to4 (embeds an IPv4 address)"),
            range("fc00::", 7, "a unique local network (cloud metadata lives here too)"),
            range("fe80::", 10, "link-local"),
            range("fec0::", 10, "site-local"),
            range("ff00::", 8, "multicast"));

    private PublicAddresses() {}

    static String refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range range : REFUSED) {
            if (range.contains(bytes)) {
                return address.getHostAddress() + " is " + range.why();
            }
        }
        return null;
    }

    private static Range range(String literal, int bits, String why) {
        try {
            // Literals only: getByName does no lookup for them.
            return new Range(InetAddress.getByName(literal).getAddress(), bits, why);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal + " is not an address literal", e);
        }
    }
}
