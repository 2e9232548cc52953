package dev.crucible.executor.sandbox;

import dev.crucible.lifecycle.Loop;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started sandboxes waiting for a run, per image and memory limit (gVisor fixes a sandbox's memory
 * at its boot, so one serves exactly one limit). A run takes one or, when none waits, starts its own;
 * either way the sandbox serves that one run and is then removed: nothing is ever handed out twice.
 * One background loop refills, one sandbox at a time, the keys that runs asked for lately; an idle
 * sandbox past its maximum age is removed and replaced. A key that still has a sandbox waiting is
 * refilled only while no run is in progress: a sandbox's boot takes a quarter of a core-second,
 * which on a small machine would slow the very run that took the last one.
 */
final class SandboxPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SandboxPool.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    /** The sandboxes that can serve a run: its image and its memory limit. */
    record Key(String image, long memoryBytes) {}

    /** A started sandbox nobody uses yet, by id and name; {@code bornNanos} on the monotonic clock. */
    record Idle(String id, String name, long bornNanos) {}

    /** What the pool needs of Docker: a started sandbox for a key, and its removal (soon, not necessarily at once). */
    interface Maker {
        Idle start(Key key);

        void discard(String id);
    }

    /** What the pool did, for metrics. */
    record Stats(int idle, long hits, long misses, long refills, long refillNanos) {}

    private final Maker maker;
    private final PoolSettings settings;
    private final LongSupplier clock;
    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    /** When each key was last asked for; expected keys are in with {@link Long#MIN_VALUE}. */
    private final Map<Key, Long> lastAsked = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder refills = new LongAdder();
    private final LongAdder refillNanos = new LongAdder();
    private final LongAdder turns = new LongAdder();
    private final Semaphore wake = new Semaphore(0);
    private final Loop loop;
    private volatile boolean started;

    SandboxPool(Maker maker, PoolSettings settings, LongSupplier clock) {
        this.maker = maker;
        this.settings = settings;
        this.clock = clock;
        this.loop = new Loop("sandbox-pool", Loop.Pacing.continuously(RETRY_AFTER_FAILURE), this::refill,
                e -> log.warn("the sandbox pool could not refill, retrying in {}: {}", RETRY_AFTER_FAILURE, e.getMessage()));
    }

    void start() {
        if (settings.enabled() && !started) {
            started = true;
            loop.start();
        }
    }

    /** Keeps {@link PoolSettings#expectedKey()} sandboxes of {@code key} ready before any run asks. */
    void expect(Set<Key> keys) {
        keys.forEach(key -> lastAsked.putIfAbsent(key, Long.MIN_VALUE));
        wake.release();
    }

    /**
     * A started sandbox of {@code key} for one run, or empty: then the run starts its own. Either way
     * the run counts as in progress until {@link #runEnded()}.
     */
    Optional<Idle> take(Key key) {
        running.incrementAndGet();
        if (!settings.enabled()) {
            return Optional.empty();
        }
        lastAsked.put(key, clock.getAsLong());
        Deque<Idle> waiting = idle.get(key);
        Idle taken;
        while (waiting != null && (taken = waiting.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (!tooOld(taken)) {
                hits.increment();
                wake.release();
                return Optional.of(taken);
            }
            maker.discard(taken.id());
        }
        misses.increment();
        wake.release();
        return Optional.empty();
    }

    /** The run of an earlier {@link #take} is over: refills that waited for quiet may go ahead. */
    void runEnded() {
        running.decrementAndGet();
        wake.release();
    }

    /** Turns the refill loop has begun, for tests that wait for it to have looked. */
    long turns() {
        return turns.sum();
    }

    Stats stats() {
        return new Stats(idleCount.get(), hits.sum(), misses.sum(), refills.sum(), refillNanos.sum());
    }

    /** One turn: wait to be woken (or a second), drop what is too old or no longer asked for, start what is missing. */
    private void refill() throws InterruptedException {
        if (wake.tryAcquire(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            wake.drainPermits();
        }
        turns.increment();
        for (Map.Entry<Key, Deque<Idle>> entry : idle.entrySet()) {
            int wanted = target(entry.getKey());
            Deque<Idle> waiting = entry.getValue();
            for (Idle oldest; (oldest = waiting.peekFirst()) != null && (tooOld(oldest) || waiting.size() > wanted); ) {
                if (waiting.remove(oldest)) {
                    idleCount.decrementAndGet();
                    maker.discard(oldest.id());
                }
            }
        }
        boolean startedOne = true;
        // Round-robin over the keys, one sandbox each per round, so a busy key cannot starve the others.
        while (startedOne && loop.running()) {
            startedOne = false;
            for (Key key : lastAsked.keySet()) {
                Deque<Idle> waiting = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
                boolean urgent = waiting.isEmpty() || running.get() == 0;
                if (urgent && waiting.size() < target(key) && idleCount.get() < settings.maxIdle() && loop.running()) {
                    long begun = clock.getAsLong();
                    Idle started = maker.start(key);
                    refills.increment();
                    refillNanos.add(clock.getAsLong() - begun);
                    waiting.addLast(started);
                    idleCount.incrementAndGet();
                    startedOne = true;
                }
            }
        }
    }

    private int target(Key key) {
        long asked = lastAsked.getOrDefault(key, Long.MIN_VALUE);
        if (asked != Long.MIN_VALUE && clock.getAsLong() - asked < settings.demandWindow().toNanos()) {
            return settings.perKey();
        }
        return settings.expectedKey();
    }

    private boolean tooOld(Idle sandbox) {
        return clock.getAsLong() - sandbox.bornNanos() > settings.maxAge().toNanos();
    }

    /**
     * Removes every idle sandbox, and the refill starts new ones: after an outage of Docker, those
     * started before it may be dead.
     */
    void discardIdle() {
        for (Deque<Idle> waiting : idle.values()) {
            for (Idle sandbox; (sandbox = waiting.pollFirst()) != null; ) {
                idleCount.decrementAndGet();
                maker.discard(sandbox.id());
            }
        }
        wake.release();
    }

    /** Stops refilling and removes every idle sandbox. */
    @Override
    public void close() throws InterruptedException {
        if (started && !loop.stop(STOP_WITHIN)) {
            log.warn("the sandbox pool's refill did not stop within {}", STOP_WITHIN);
        }
        discardIdle();
    }
}
