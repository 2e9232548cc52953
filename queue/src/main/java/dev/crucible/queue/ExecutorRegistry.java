package dev.crucible.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Which executors are alive and able to run jobs: each one beats, the api counts recent beats for readiness. */
public interface ExecutorRegistry {
    /** @param healthy whether its sandbox host answers, so that it takes jobs */
    void heartbeat(String executor, boolean healthy);

    /** When {@code executor} last beat; empty when it never did or its beat was swept as long gone. */
    Optional<Instant> lastBeat(String executor);

    /** Executors that beat within {@code window}. */
    long liveCount(Duration window);

    /** Executors whose last beat within {@code window} said they were healthy. */
    long healthyCount(Duration window);
}
