package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.config.ConfigException;
import dev.crucible.executor.sandbox.PoolSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorConfigTest {
    private static final String REDIS = "redis://:redis-password-not-for-logs@127.0.0.1:6380";

    @Test
    void unsetVariablesTakeTheirDefaultsInTheirParts() {
        ExecutorConfig config = ExecutorConfig.fromEnvironment(Map.of("CRUCIBLE_REDIS_URI", REDIS));
        assertEquals(Runtime.getRuntime().availableProcessors() + 1, config.slots(), "one slot more than cores");
        assertEquals(Duration.ofMinutes(2), config.queue().reclaimAfter());
        assertEquals(3, config.queue().maxDeliveries());
        assertEquals(Duration.ofMinutes(1), config.queue().drain());
        assertEquals(new ExecutorConfig.SandboxHost(URI.create("tcp://127.0.0.1:2375"), Path.of("/sys/fs/cgroup"), "runsc",
                new PoolSettings(2, 0, 16, Duration.ofMinutes(10), Duration.ofMinutes(5)), 4), config.sandboxHost());
    }

    @Test
    void submissionOutputIsCappedAtFourMebibytesUnlessConfigured() {
        assertEquals(4L << 20,
                ExecutorConfig.fromEnvironment(Map.of("CRUCIBLE_REDIS_URI", REDIS)).submissionOutput().storedBytes());
        assertEquals(1000, ExecutorConfig.fromEnvironment(Map.of("CRUCIBLE_REDIS_URI", REDIS,
                "CRUCIBLE_MAX_SUBMISSION_OUTPUT_BYTES", "1000")).submissionOutput().storedBytes());
    }

    @Test
    void moreExpectedSandboxesThanThePoolHoldsAreRefused() {
        ConfigException refused = assertThrows(ConfigException.class, () -> ExecutorConfig.fromEnvironment(
                Map.of("CRUCIBLE_REDIS_URI", REDIS, "CRUCIBLE_POOL_SIZE", "0", "CRUCIBLE_POOL_EXPECTED", "1")));
        assertTrue(refused.getMessage().contains("CRUCIBLE_POOL_EXPECTED"), refused.getMessage());
    }

    @Test
    void printedConfigShowsNoRedisPassword() {
        String printed = ExecutorConfig.fromEnvironment(Map.of("CRUCIBLE_REDIS_URI", REDIS)).toString();
        assertFalse(printed.contains("redis-password"), printed);
    }

    @Test
    void missingRedisIsRefusedWithAnExample() {
        var e = assertThrows(ConfigException.class, () -> ExecutorConfig.fromEnvironment(Map.of()));
        assertEquals("CRUCIBLE_REDIS_URI is required, e.g. redis://:password@127.0.0.1:6380", e.getMessage());
    }

    @Test
    void drainLongerThanAnHourIsRefused() {
        var e = assertThrows(ConfigException.class, () -> ExecutorConfig.fromEnvironment(
                Map.of("CRUCIBLE_REDIS_URI", REDIS, "CRUCIBLE_DRAIN_MS", "3600001")));
        assertEquals("CRUCIBLE_DRAIN_MS must be 0..3600000, was 3600001", e.getMessage());
    }

    @Test
    void reclaimTimeBelowTwentySecondsIsRefused() {
        var e = assertThrows(ConfigException.class, () -> ExecutorConfig.fromEnvironment(
                Map.of("CRUCIBLE_REDIS_URI", REDIS, "CRUCIBLE_RECLAIM_AFTER_MS", "5000")));
        assertEquals("CRUCIBLE_RECLAIM_AFTER_MS must be at least 20000, was 5000", e.getMessage());
    }
}
