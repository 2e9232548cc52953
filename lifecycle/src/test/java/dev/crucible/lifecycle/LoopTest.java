package dev.crucible.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void failedTurnIsReportedAndTheLoopGoesOn() throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger turns = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(1);
        Loop loop = new Loop("test", Loop.Pacing.continuously(Duration.ofMillis(1)), () -> {
            if (turns.incrementAndGet() == 3) {
                third.countDown();
            }
            throw new IllegalStateException("turn " + turns.get());
        }, e -> failures.add(e.getMessage()));
        loop.start();
        assertTrue(third.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(loop.stop(WAIT));
        assertEquals(List.of("turn 1", "turn 2"), failures.subList(0, 2));
    }

    @Test
    void stopLetsTheTurnInHandFinish() throws Exception {
        CountDownLatch inTurn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        Loop loop = new Loop("test", Loop.Pacing.continuously(Duration.ZERO), () -> {
            inTurn.countDown();
            release.await();
            finished.incrementAndGet();
        }, e -> {});
        loop.start();
        assertTrue(inTurn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(loop.stop(Duration.ofMillis(50)), "the turn in hand is still running");
        release.countDown();
        assertTrue(loop.stop(WAIT));
        assertEquals(1, finished.get());
    }

    @Test
    void stopCutsThePauseBeforeATurnShort() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        Loop loop = new Loop("test", Loop.Pacing.every(LONG), turns::incrementAndGet, e -> {});
        loop.start();
        assertTrue(loop.stop(WAIT));
        assertEquals(0, turns.get());
    }

    @Test
    void stopCutsThePauseAfterAFailureShort() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        Loop loop = new Loop("test", Loop.Pacing.continuously(LONG), () -> {
            throw new IllegalStateException("down");
        }, e -> failed.countDown());
        loop.start();
        assertTrue(failed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(loop.stop(WAIT));
    }

    @Test
    void interruptedTurnEndsTheLoop() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        Loop loop = new Loop("test", Loop.Pacing.continuously(Duration.ZERO), () -> {
            turns.incrementAndGet();
            throw new InterruptedException();
        }, e -> {});
        loop.run();
        assertEquals(1, turns.get());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the thread's owner");
        assertTrue(loop.running(), "nobody asked it to stop");
    }
}
