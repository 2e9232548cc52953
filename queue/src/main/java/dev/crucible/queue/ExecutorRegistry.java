package dev.crucible.queue;

import java.time.Duration;

/** Which executors are alive: each one beats, the api counts recent beats for readiness. */
public interface ExecutorRegistry {
    void heartbeat(String executor);

    /** Executors that beat within {@code window}. */
    long liveCount(Duration window);
}
