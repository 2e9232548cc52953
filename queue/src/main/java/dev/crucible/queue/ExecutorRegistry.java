package dev.crucible.queue;

import java.time.Duration;

/** Which executors are alive and able to run jobs: each one beats, the api counts recent beats for readiness. */
public interface ExecutorRegistry {
    /** @param healthy whether its sandbox host answers, so that it takes jobs */
    void heartbeat(String executor, boolean healthy);

    /** Executors that beat within {@code window}. */
    long liveCount(Duration window);

    /** Executors whose last beat within {@code window} said they were healthy. */
    long healthyCount(Duration window);
}
