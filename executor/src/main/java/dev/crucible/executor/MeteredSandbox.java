package dev.crucible.executor;

import dev.crucible.executor.sandbox.Cancellation;
import dev.crucible.executor.sandbox.Sandbox;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SandboxSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** A {@link Sandbox} that records the stages of every sandbox it runs, compile sandboxes included. */
final class MeteredSandbox implements Sandbox {
    private final Sandbox sandbox;
    private final MeterRegistry registry;

    MeteredSandbox(Sandbox sandbox, MeterRegistry registry) {
        this.sandbox = sandbox;
        this.registry = registry;
    }

    @Override
    public SandboxRun run(SandboxSpec spec, Cancellation cancellation) {
        SandboxRun run = sandbox.run(spec, cancellation);
        // A run cancelled before its sandbox was created has no stages to show.
        if (!run.stages().equals(SandboxRun.Stages.NONE)) {
            stage("create", run.stages().create());
            stage("start", run.stages().start());
            stage("run", run.stages().run());
            stage("teardown", run.stages().teardown());
        }
        return run;
    }

    private void stage(String name, Duration duration) {
        Timer.builder("crucible_sandbox_stage").description("Stages of each sandbox: create, start, run, teardown")
                .tag("stage", name)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }
}
