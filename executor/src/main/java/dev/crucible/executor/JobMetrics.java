package dev.crucible.executor;

import dev.crucible.queue.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The jobs of this executor: how many run now, and the finished ones by verdict with how long each took. */
final class JobMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front, so the gauge shows 0 before the first job rather than nothing.
        Gauge.builder("crucible_executor_running_jobs", running, AtomicInteger::get)
                .description("Jobs this executor is running now").register(registry);
    }

    void runStarted() {
        running.incrementAndGet();
    }

    void runEnded() {
        running.decrementAndGet();
    }

    /** @param nanos compile and every run, start to teardown */
    void finished(Verdict verdict, long nanos) {
        Timer.builder("crucible_executor_jobs").description("Finished jobs by verdict, with their duration")
                .tag("verdict", verdict.wireName())
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
