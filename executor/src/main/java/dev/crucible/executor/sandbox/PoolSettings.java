package dev.crucible.executor.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How many started sandboxes wait for runs, and for how long.
 *
 * @param perKey       idle sandboxes kept per image and memory limit that runs asked for within
 *                     {@code demandWindow}; 0 turns the pool off (every run starts its own sandbox)
 * @param expectedKey  idle sandboxes kept per image and memory limit that is expected (a runtime's
 *                     default limits) but has not been asked for lately
 * @param maxIdle      idle sandboxes in all, whatever the keys
 * @param maxAge       an idle sandbox older than this is removed and replaced, unused
 * @param demandWindow how long a key counts as in demand after a run asked for it
 */
public record PoolSettings(int perKey, int expectedKey, int maxIdle, Duration maxAge, Duration demandWindow) {
    /** No pool: every run starts a sandbox of its own, on its critical path. */
    public static final PoolSettings OFF = new PoolSettings(0, 0, 0, Duration.ofMinutes(1), Duration.ofMinutes(1));

    public PoolSettings {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(demandWindow, "demandWindow");
        if (perKey < 0 || expectedKey < 0 || maxIdle < 0 || expectedKey > perKey) {
            throw new IllegalArgumentException("pool sizes must be at least 0, with expectedKey <= perKey: " + this);
        }
    }

    boolean enabled() {
        return perKey > 0 && maxIdle > 0;
    }
}
