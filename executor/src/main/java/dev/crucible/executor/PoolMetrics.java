package dev.crucible.executor;

import dev.crucible.executor.sandbox.DockerSandbox;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The sandbox pool's figures, read from the sandbox when scraped. */
final class PoolMetrics {
    private PoolMetrics() {}

    static void register(MeterRegistry registry, DockerSandbox sandbox) {
        Gauge.builder("crucible_pool_idle_sandboxes", sandbox, s -> s.poolStats().idle())
                .description("Started sandboxes waiting for a run").register(registry);
        FunctionCounter.builder("crucible_pool_takes", sandbox, s -> s.poolStats().hits())
                .tag("result", "hit").description("Runs that took a started sandbox from the pool (hit) or started their own (miss)")
                .register(registry);
        FunctionCounter.builder("crucible_pool_takes", sandbox, s -> s.poolStats().misses())
                .tag("result", "miss").description("Runs that took a started sandbox from the pool (hit) or started their own (miss)")
                .register(registry);
        FunctionCounter.builder("crucible_pool_refills", sandbox, s -> s.poolStats().refills())
                .description("Sandboxes started for the pool").register(registry);
        FunctionCounter.builder("crucible_pool_refill_seconds", sandbox, s -> s.poolStats().refillTime().toNanos() / 1e9)
                .description("Time spent creating and starting sandboxes for the pool, in all").register(registry);
        Gauge.builder("crucible_sandbox_removals_pending", sandbox, s -> s.poolStats().removalsPending())
                .description("Used sandboxes queued for removal").register(registry);
    }
}
