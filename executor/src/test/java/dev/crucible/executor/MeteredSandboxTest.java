package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.sandbox.Cancellation;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SandboxSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredSandboxTest {
    private static final SandboxSpec SPEC = SandboxSpec.program("run-1", "image", List.of("true"), List.of(), new byte[0],
            SandboxSpec.Limits.of(Duration.ofSeconds(1), 64L << 20, 1024));

    private static SandboxRun ran(SandboxRun.Stages stages) {
        return SandboxRuns.exited(0).stages(stages).build();
    }

    @Test
    void everySandboxRecordsItsStages() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var stages = SandboxRun.Stages.of(Duration.ofMillis(40), Duration.ofMillis(10), Duration.ofMillis(300), Duration.ofMillis(20), true);
        var sandbox = new MeteredSandbox((spec, cancellation) -> ran(stages), registry);
        sandbox.run(SPEC, Cancellation.NEVER);
        sandbox.run(SPEC, Cancellation.NEVER);
        String text = registry.scrape();
        for (String stage : List.of("create", "start", "run", "teardown")) {
            assertTrue(text.contains("crucible_sandbox_stage_seconds_count{stage=\"" + stage + "\"} 2"), text);
        }
        assertTrue(text.contains("crucible_sandbox_stage_seconds_sum{stage=\"run\"} 0.6"), text);
        assertTrue(text.contains("crucible_sandbox_stage_seconds_bucket{stage=\"run\""), "a histogram: " + text);
    }

    @Test
    void sandboxNeverCreatedRecordsNothing() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new MeteredSandbox((spec, cancellation) -> ran(SandboxRun.Stages.NONE), registry).run(SPEC, Cancellation.NEVER);
        assertFalse(registry.scrape().contains("crucible_sandbox_stage_seconds_count"));
    }
}
