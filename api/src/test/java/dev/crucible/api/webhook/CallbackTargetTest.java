package dev.crucible.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** URL and resolution checks with a fixed resolver: no name is looked up, nothing is sent. */
class CallbackTargetTest {
    private static final CallbackTarget.Resolver NAMES = host -> {
        Map<String, String[]> table = Map.of(
                "hooks.example", new String[] {"93.184.216.34"},
                "sneaky.example", new String[] {"93.184.216.34", "10.0.0.5"},
                "metadata.example", new String[] {"169.254.169.254"});
        String[] addresses = table.get(host);
        if (addresses == null) {
            // literals only, which getByName parses without a lookup
            if (!host.matches("[0-9.:a-fA-F]+")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByName(addresses[i]);
        }
        return resolved;
    };

    private static CallbackTarget resolve(String url, boolean allowHttp) {
        return CallbackTarget.resolve(url, allowHttp, AddressPolicy.publicOnly(), NAMES);
    }

    @Test
    void publicHttpsHostIsAccepted() {
        CallbackTarget target = resolve("https://hooks.example/crucible?x=1", false);
        assertEquals(443, target.port());
        assertEquals("93.184.216.34", target.address().getHostAddress());
    }

    @Test
    void plainHttpNeedsPermission() {
        assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("http://hooks.example/", false));
        assertEquals(80, resolve("http://hooks.example/", true).port());
    }

    @Test
    void oneInnerAddressAmongManyIsRefused() {
        var e = assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("https://sneaky.example/", false));
        assertTrue(e.getMessage().contains("10.0.0.5"), e.getMessage());
    }

    @Test
    void metadataServiceIsRefused() {
        assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("https://metadata.example/", false));
    }

    @Test
    void loopbackLiteralsAreRefusedInEverySpelling() {
        for (String url : new String[] {"https://127.0.0.1/", "https://[::1]/", "https://2130706433/", "https://[::ffff:7f00:1]/"}) {
            assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve(url, false), url);
        }
    }

    @Test
    void loopbackInTheTranslatedIpv6FormsIsRefused() {
        for (String url : new String[] {"https://[::ffff:0:7f00:1]/", "https://[::ffff:0:0:7f00:1]/"}) {
            assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve(url, false), url);
        }
    }

    @Test
    void userInfoIsRefused() {
        assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("https://user:pw@hooks.example/", false));
    }

    @Test
    void otherSchemesAreRefused() {
        assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("file:///etc/passwd", true));
        assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("gopher://hooks.example/", true));
    }

    @Test
    void unresolvableHostIsRefused() {
        assertThrows(CallbackTarget.RefusedCallbackException.class, () -> resolve("https://nowhere.example/", false));
    }
}
