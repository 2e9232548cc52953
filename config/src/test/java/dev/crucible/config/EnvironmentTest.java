package dev.crucible.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
    private static Environment of(String name, String value) {
        return new Environment(Map.of(name, value));
    }

    private static final Environment EMPTY = new Environment(Map.of());

    @Test
    void addressesAreLiteralsOfEitherFamily() {
        assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1")),
                of("CRUCIBLE_A", "127.0.0.1, ::1").addresses("CRUCIBLE_A", ""));
    }

    @Test
    void hostNameAmongAddressesIsRefused() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_A", "127.0.0.1,localhost").addresses("CRUCIBLE_A", ""));
        assertEquals("CRUCIBLE_A must be IP addresses separated by commas, was 'localhost' among them", e.getMessage());
    }

    @Test
    void missingRequiredVariableIsNamed() {
        var e = assertThrows(ConfigException.class, () -> EMPTY.required("CRUCIBLE_X"));
        assertEquals("CRUCIBLE_X is required", e.getMessage());
    }

    @Test
    void blankVariableCountsAsUnset() {
        assertEquals("fallback", of("CRUCIBLE_X", "  ").text("CRUCIBLE_X", "fallback"));
    }

    @Test
    void notANumberNamesTheVariableAndTheValue() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_N", "ten").integer("CRUCIBLE_N", 1, 0, 100));
        assertEquals("CRUCIBLE_N must be a whole number, was 'ten'", e.getMessage());
    }

    @Test
    void numberOutOfBoundsNamesTheBounds() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_N", "101").integer("CRUCIBLE_N", 1, 0, 100));
        assertEquals("CRUCIBLE_N must be 0..100, was 101", e.getMessage());
    }

    @Test
    void numberWithoutUpperBoundSaysAtLeast() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_N", "5").integer("CRUCIBLE_N", 10, 10, Long.MAX_VALUE));
        assertEquals("CRUCIBLE_N must be at least 10, was 5", e.getMessage());
    }

    @Test
    void unsetNumberTakesTheFallback() {
        assertEquals(7, EMPTY.integer("CRUCIBLE_N", 7, 0, 100));
    }

    @Test
    void millisecondsBecomeADuration() {
        assertEquals(Duration.ofSeconds(3), of("CRUCIBLE_T_MS", "3000").millis("CRUCIBLE_T_MS", 0, 0, 10_000));
    }

    @Test
    void hostPortIsParsed() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9102), of("CRUCIBLE_L", "127.0.0.1:9102").hostPort("CRUCIBLE_L", "x"));
    }

    @Test
    void hostPortWithoutPortIsRefused() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_L", "localhost").hostPort("CRUCIBLE_L", "x"));
        assertEquals("CRUCIBLE_L must be host:port, was localhost", e.getMessage());
    }

    @Test
    void hostPortWithWordForPortIsRefused() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_L", "localhost:http").hostPort("CRUCIBLE_L", "x"));
        assertTrue(e.getMessage().startsWith("CRUCIBLE_L must be host:port with a numeric port"), e.getMessage());
    }

    @Test
    void flagIsTrueOrFalseOnly() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_F", "yes").flag("CRUCIBLE_F", false));
        assertEquals("CRUCIBLE_F must be true or false, was 'yes'", e.getMessage());
    }

    @Test
    void uriOfAnotherSchemeIsRefused() {
        var e = assertThrows(ConfigException.class,
                () -> of("CRUCIBLE_D", "unix:///var/run/docker.sock").uri("CRUCIBLE_D", "x", "tcp", "tcp://host:port"));
        assertEquals("CRUCIBLE_D must be tcp://host:port, was unix:///var/run/docker.sock", e.getMessage());
    }

    @Test
    void uriOfTheSchemeIsParsed() {
        assertEquals(URI.create("tcp://127.0.0.1:2375"), EMPTY.uri("CRUCIBLE_D", "tcp://127.0.0.1:2375", "tcp", "tcp://host:port"));
    }

    @Test
    void instanceNameWithSpaceIsRefused() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_NAME", "api 1").instanceName("CRUCIBLE_NAME", "api-1"));
        assertEquals("CRUCIBLE_NAME must be letters, digits, '_', '.', '-', was 'api 1'", e.getMessage());
    }

    @Test
    void shortSecretIsRefusedWithoutShowingIt() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_KEY", "hunter2").secret("CRUCIBLE_KEY", 24));
        assertEquals("CRUCIBLE_KEY must be at least 24 characters", e.getMessage());
    }

    @Test
    void secretHidesItsValueWhenPrinted() {
        Secret secret = of("CRUCIBLE_KEY", "k".repeat(30)).secret("CRUCIBLE_KEY", 24);
        assertFalse(secret.toString().contains("kkk"), secret.toString());
        assertEquals("k".repeat(30), secret.reveal());
    }

    @Test
    void uuidThatIsNotOneIsRefusedNamingWhatItIdentifies() {
        var e = assertThrows(ConfigException.class, () -> of("CRUCIBLE_KEY_ID", "bootstrap").uuid("CRUCIBLE_KEY_ID", "a key's id"));
        assertEquals("CRUCIBLE_KEY_ID must be a key's id (a UUID), was 'bootstrap'", e.getMessage());
    }
}
