package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SandboxPoolTest {
    private static final SandboxPool.Key PYTHON = new SandboxPool.Key("python", 256L << 20);
    private static final SandboxPool.Key JAVA = new SandboxPool.Key("java", 512L << 20);

    /** Sandboxes that exist only in memory: started ones get ids 1, 2, ...; discarded ones are noted. */
    private static final class FakeDocker implements SandboxPool.Maker {
        final AtomicInteger started = new AtomicInteger();
        final List<String> discarded = new CopyOnWriteArrayList<>();
        final AtomicLong now;

        FakeDocker(AtomicLong now) {
            this.now = now;
        }

        @Override
        public SandboxPool.Idle start(SandboxPool.Key key) {
            String id = key.image() + "-" + started.incrementAndGet();
            return new SandboxPool.Idle(id, "crucible-pool-" + id, now.get());
        }

        @Override
        public void discard(String id) {
            discarded.add(id);
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FakeDocker docker = new FakeDocker(now);
    private SandboxPool pool;

    private SandboxPool pool(PoolSettings settings) {
        pool = new SandboxPool(docker, settings, now::get);
        pool.start();
        return pool;
    }

    @AfterEach
    void close() throws InterruptedException {
        if (pool != null) {
            pool.close();
        }
    }

    private static void within(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void anOffPoolNeverHandsOutASandbox() {
        SandboxPool off = pool(PoolSettings.OFF);
        off.expect(Set.of(PYTHON));
        assertEquals(Optional.empty(), off.take(PYTHON));
        assertEquals(0, docker.started.get());
    }

    @Test
    void anExpectedKeyIsWarmBeforeAnyRunAsks() throws InterruptedException {
        pool(new PoolSettings(2, 1, 8, Duration.ofMinutes(10), Duration.ofMinutes(5))).expect(Set.of(PYTHON));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 1, "one sandbox of the expected key");
        assertTrue(pool.take(PYTHON).isPresent(), "the first run is a hit");
        assertEquals(1, pool.stats().hits());
    }

    @Test
    void aSandboxIsHandedOutOnce() throws InterruptedException {
        pool(new PoolSettings(2, 2, 8, Duration.ofMinutes(10), Duration.ofMinutes(5))).expect(Set.of(PYTHON));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 2, "two idle sandboxes");
        String first = pool.take(PYTHON).orElseThrow().id();
        String second = pool.take(PYTHON).orElseThrow().id();
        assertNotEquals(first, second);
    }

    @Test
    void aMissWarmsItsKeyForTheNextRun() throws InterruptedException {
        pool(new PoolSettings(2, 1, 8, Duration.ofMinutes(10), Duration.ofMinutes(5)));
        assertFalse(pool.take(JAVA).isPresent(), "nothing was warm");
        pool.runEnded();
        assertEquals(1, pool.stats().misses());
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 2, "the asked-for key filled to its size");
    }

    @Test
    void discardingTheIdleSandboxesReplacesThem() throws InterruptedException {
        pool(new PoolSettings(1, 1, 8, Duration.ofMinutes(10), Duration.ofMinutes(5))).expect(Set.of(PYTHON));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 1, "one idle sandbox");
        pool.discardIdle();
        assertEquals(List.of("python-1"), docker.discarded);
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 1 && docker.started.get() == 2, "a new one in its place");
        assertEquals("python-2", pool.take(PYTHON).orElseThrow().id());
    }

    @Test
    void aSandboxPastItsAgeIsReplacedUnused() throws InterruptedException {
        pool(new PoolSettings(1, 1, 8, Duration.ofSeconds(30), Duration.ofMinutes(5))).expect(Set.of(PYTHON));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 1, "one idle sandbox");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        SandboxPool.Idle taken = pool.take(PYTHON).orElse(null);
        assertEquals(null, taken, "the old one is not handed out");
        assertEquals(List.of("python-1"), docker.discarded);
    }

    @Test
    void theTotalOfIdleSandboxesIsCapped() throws InterruptedException {
        pool(new PoolSettings(4, 4, 3, Duration.ofMinutes(10), Duration.ofMinutes(5))).expect(Set.of(PYTHON, JAVA));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 3, "three idle sandboxes in all");
        assertEquals(3, docker.started.get());
    }

    @Test
    void aKeyWithASandboxLeftWaitsForQuietBeforeItIsRefilled() throws InterruptedException {
        pool(new PoolSettings(2, 2, 8, Duration.ofMinutes(10), Duration.ofMinutes(5))).expect(Set.of(PYTHON));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 2, "two idle sandboxes");
        assertTrue(pool.take(PYTHON).isPresent());
        long turn = pool.turns();
        within(Duration.ofSeconds(5), () -> pool.turns() >= turn + 2, "two more turns of the refill loop, during the run");
        assertEquals(2, docker.started.get(), "no boot while a run is in progress and a sandbox still waits");
        pool.runEnded();
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 2, "refilled once the run ended");
    }

    @Test
    void closingRemovesEveryIdleSandbox() throws InterruptedException {
        pool(new PoolSettings(2, 2, 8, Duration.ofMinutes(10), Duration.ofMinutes(5))).expect(Set.of(PYTHON));
        within(Duration.ofSeconds(5), () -> pool.stats().idle() == 2, "two idle sandboxes");
        pool.close();
        assertEquals(0, pool.stats().idle());
        assertEquals(Set.of("python-1", "python-2"), Set.copyOf(docker.discarded));
    }
}
