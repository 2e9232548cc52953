package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SandboxHealthTest {
    @Test
    void aFailureOpensTheBreakerUntilTheProbeIsAnswered() throws Exception {
        AtomicInteger pings = new AtomicInteger();
        AtomicInteger recoveries = new AtomicInteger();
        try (SandboxHealth health = new SandboxHealth(() -> {
            if (pings.incrementAndGet() < 3) {
                throw new IllegalStateException("connection refused");
            }
        }, recoveries::incrementAndGet)) {
            assertTrue(health.healthy());
            health.failed("Docker failed to create: 502");
            assertFalse(health.healthy());
            assertTrue(health.awaitHealthy(Duration.ofSeconds(30)), "closed again once a ping was answered");
            assertEquals(3, pings.get());
            assertEquals(1, recoveries.get(), "what the outage may have killed is dropped once");
        }
    }

    @Test
    void aWaitEndsUnhealthyAtItsLimitWhileTheHostStaysDown() throws Exception {
        try (SandboxHealth health = new SandboxHealth(() -> {
            throw new IllegalStateException("connection refused");
        }, () -> { })) {
            health.failed("proxy unreachable");
            assertFalse(health.awaitHealthy(Duration.ofMillis(50)));
            assertFalse(health.healthy());
        }
    }

    @Test
    void aHealthyHostIsNotProbed() throws Exception {
        AtomicInteger pings = new AtomicInteger();
        try (SandboxHealth health = new SandboxHealth(pings::incrementAndGet, () -> { })) {
            assertTrue(health.awaitHealthy(Duration.ZERO));
            assertEquals(0, pings.get());
        }
    }
}
