package dev.crucible.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A background thread that takes one turn after another until it is stopped. A turn that fails is
 * handed to its owner to log, and the loop goes on: a background thread must not die quietly while
 * the process looks fine. Stopping lets the turn in hand finish; a pause is cut short by it.
 */
public final class Loop {
    /**
     * How turns follow each other.
     *
     * @param before       waited before every turn; zero for a turn that blocks on its own source
     * @param afterFailure waited, in addition, after a turn that failed
     */
    public record Pacing(Duration before, Duration afterFailure) {
        public Pacing {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(afterFailure, "afterFailure");
        }

        /** Wait {@code period}, take a turn, again: for work that is polled. A failure waits for the next period. */
        public static Pacing every(Duration period) {
            return new Pacing(period, Duration.ZERO);
        }

        /** Turn after turn, each blocking on what it takes; after a failure, {@code retry} first. */
        public static Pacing continuously(Duration retry) {
            return new Pacing(Duration.ZERO, retry);
        }
    }

    /** One turn. May throw {@link InterruptedException}, which ends the loop. */
    @FunctionalInterface
    public interface Turn {
        void run() throws InterruptedException;
    }

    private final String name;
    private final Pacing pacing;
    private final Turn turn;
    private final Consumer<RuntimeException> onFailure;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** @param name the thread's name, as it appears in logs and thread dumps */
    public Loop(String name, Pacing pacing, Turn turn, Consumer<RuntimeException> onFailure) {
        this.name = Objects.requireNonNull(name, "name");
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        this.turn = Objects.requireNonNull(turn, "turn");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Starts the loop on a virtual thread of its name. */
    public void start() {
        Thread.ofVirtual().name(name).start(this::run);
    }

    void run() {
        try {
            while (pause(pacing.before())) {
                try {
                    turn.run();
                } catch (RuntimeException e) {
                    onFailure.accept(e);
                    if (!pause(pacing.afterFailure())) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    /** Whether the loop goes on; a turn that retries within itself asks between tries. */
    public boolean running() {
        return stop.getCount() > 0;
    }

    /** Waits {@code duration}, or less if the loop is stopped meanwhile; returns whether it still runs. */
    public boolean pause(Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            return running();
        }
        return !stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Asks the loop to stop after the turn in hand; returns whether it stopped within {@code limit}.
     * {@link Duration#ZERO} only asks.
     */
    public boolean stop(Duration limit) throws InterruptedException {
        stop.countDown();
        return stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
