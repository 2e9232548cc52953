package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.sandbox.Cancellation;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SandboxSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorMetricsTest {
    private static final SandboxSpec SPEC = SandboxSpec.program("run-1", "image", List.of("true"), List.of(), new byte[0],
            SandboxSpec.Limits.of(Duration.ofSeconds(1), 64L << 20, 1024));

    private static SandboxRun ran(SandboxRun.Stages stages) {
        return SandboxRuns.exited(0).stages(stages).build();
    }

    @Test
    void everySandboxRecordsItsStages() throws Exception {
        try (ExecutorMetrics metrics = new ExecutorMetrics(new InetSocketAddress("127.0.0.1", 0))) {
            var stages = new SandboxRun.Stages(Duration.ofMillis(40), Duration.ofMillis(10), Duration.ofMillis(300), Duration.ofMillis(20));
            var sandbox = metrics.measuring((spec, cancellation) -> ran(stages));
            sandbox.run(SPEC, Cancellation.NEVER);
            sandbox.run(SPEC, Cancellation.NEVER);
            String text = metrics.scrape();
            for (String stage : List.of("create", "start", "run", "teardown")) {
                assertTrue(text.contains("crucible_sandbox_stage_seconds_count{stage=\"" + stage + "\"} 2"), text);
            }
            assertTrue(text.contains("crucible_sandbox_stage_seconds_sum{stage=\"run\"} 0.6"), text);
            assertTrue(text.contains("crucible_sandbox_stage_seconds_bucket{stage=\"run\""), "a histogram: " + text);
        }
    }

    @Test
    void sandboxNeverCreatedRecordsNothing() throws Exception {
        try (ExecutorMetrics metrics = new ExecutorMetrics(new InetSocketAddress("127.0.0.1", 0))) {
            metrics.measuring((spec, cancellation) -> ran(SandboxRun.Stages.NONE)).run(SPEC, Cancellation.NEVER);
            assertFalse(metrics.scrape().contains("crucible_sandbox_stage_seconds_count"));
        }
    }
}
