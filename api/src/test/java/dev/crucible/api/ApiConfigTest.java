package dev.crucible.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.config.ConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApiConfigTest {
    private static final String PASSWORD = "db-password-not-for-logs";
    private static final String REDIS = "redis://:redis-password-not-for-logs@127.0.0.1:6380";
    private static final String ADMIN_KEY = "admin-key-not-for-logs-0123456789";
    private static final String SEALING_KEY = "5ea1".repeat(16);

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("CRUCIBLE_DATABASE_URL", "jdbc:postgresql://127.0.0.1/crucible");
        env.put("CRUCIBLE_DATABASE_USER", "crucible");
        env.put("CRUCIBLE_DATABASE_PASSWORD", PASSWORD);
        env.put("CRUCIBLE_REDIS_URI", REDIS);
        env.put("CRUCIBLE_ADMIN_KEY", ADMIN_KEY);
        env.put("CRUCIBLE_WEBHOOK_SEALING_KEY", SEALING_KEY);
        return env;
    }

    @Test
    void unsetVariablesTakeTheirDefaultsInTheirParts() {
        ApiConfig config = ApiConfig.fromEnvironment(required());
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), config.http().listen());
        assertEquals(new ApiConfig.RunLimits(30_000, 1024, 65_536), config.submissions().limits());
        assertEquals(new ApiConfig.Admission(1000, 50, Duration.ofSeconds(30), 16 << 20), config.submissions().admission());
        assertEquals(new ApiConfig.Webhooks(false), config.submissions().webhooks());
        assertEquals("crucible", config.queue().prefix());
        assertEquals("api-1", config.queue().instanceName());
    }

    @Test
    void retentionIsThirtyDaysOfContentAndHalfAYearOfAuditByDefault() {
        assertEquals(new ApiConfig.Retention(Duration.ofDays(30), Duration.ofDays(180)),
                ApiConfig.fromEnvironment(required()).database().retention());
    }

    @Test
    void retentionIsReadInDays() {
        Map<String, String> env = required();
        env.put("CRUCIBLE_RETENTION_DAYS", "7");
        env.put("CRUCIBLE_AUDIT_RETENTION_DAYS", "365");
        assertEquals(new ApiConfig.Retention(Duration.ofDays(7), Duration.ofDays(365)),
                ApiConfig.fromEnvironment(env).database().retention());
    }

    @Test
    void eachVariableLandsInItsPart() {
        Map<String, String> env = required();
        env.put("CRUCIBLE_MAX_BATCH", "7");
        env.put("CRUCIBLE_MAX_WAIT_MS", "1500");
        env.put("CRUCIBLE_WEBHOOK_ALLOW_HTTP", "true");
        ApiConfig config = ApiConfig.fromEnvironment(env);
        assertEquals(7, config.submissions().admission().maxBatch());
        assertEquals(Duration.ofMillis(1500), config.submissions().admission().maxWait());
        assertTrue(config.submissions().webhooks().allowHttp());
        assertEquals(PASSWORD, config.database().password().reveal());
    }

    @Test
    void trustedProxiesAreLoopbackUnlessSet() {
        assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1")),
                ApiConfig.fromEnvironment(required()).http().trustedProxies());
        Map<String, String> env = required();
        env.put("CRUCIBLE_TRUSTED_PROXIES", "10.0.0.5");
        assertEquals(List.of(InetAddress.ofLiteral("10.0.0.5")), ApiConfig.fromEnvironment(env).http().trustedProxies());
    }

    @Test
    void lostJobsAreLookedForAfterTenMinutesUnlessSet() {
        assertEquals(Duration.ofMinutes(10), ApiConfig.fromEnvironment(required()).queue().reapAfter());
        Map<String, String> env = required();
        env.put("CRUCIBLE_REAP_AFTER_MS", "120000");
        assertEquals(Duration.ofMinutes(2), ApiConfig.fromEnvironment(env).queue().reapAfter());
    }

    @Test
    void aSealingKeyThatIsNotThirtyTwoBytesOfHexIsRefusedWithoutShowingIt() {
        Map<String, String> env = required();
        env.put("CRUCIBLE_WEBHOOK_SEALING_KEY", "not-hex-and-secret");
        var refused = assertThrows(ConfigException.class, () -> ApiConfig.fromEnvironment(env));
        assertTrue(refused.getMessage().startsWith("CRUCIBLE_WEBHOOK_SEALING_KEY must be 64 hex digits"), refused.getMessage());
        assertFalse(refused.getMessage().contains("not-hex-and-secret"), refused.getMessage());
    }

    @Test
    void printedConfigShowsNoSecret() {
        String printed = ApiConfig.fromEnvironment(required()).toString();
        assertFalse(printed.contains(PASSWORD), printed);
        assertFalse(printed.contains("redis-password"), printed);
        assertFalse(printed.contains(ADMIN_KEY), printed);
        assertFalse(printed.contains(SEALING_KEY), printed);
        assertTrue(printed.contains("jdbc:postgresql://127.0.0.1/crucible"), printed);
    }

    @Test
    void badValueIsRefusedNamingTheVariable() {
        Map<String, String> env = required();
        env.put("CRUCIBLE_MAX_MEMORY_MB", "lots");
        var e = assertThrows(ConfigException.class, () -> ApiConfig.fromEnvironment(env));
        assertEquals("CRUCIBLE_MAX_MEMORY_MB must be a whole number, was 'lots'", e.getMessage());
    }

    @Test
    void pistonAnonymousKeyIsOffUnlessNamed() {
        assertEquals(Optional.empty(), ApiConfig.fromEnvironment(required()).keys().pistonAnonymousKeyId());
        Map<String, String> env = required();
        UUID id = UUID.randomUUID();
        env.put("CRUCIBLE_PISTON_ANONYMOUS_KEY_ID", id.toString());
        assertEquals(Optional.of(id), ApiConfig.fromEnvironment(env).keys().pistonAnonymousKeyId());
    }
}
