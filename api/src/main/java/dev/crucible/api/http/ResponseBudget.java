package dev.crucible.api.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory that large answers may hold at once. A submission's stored result can run to several
 * megabytes, and answering one holds it about three times over (the row's text, the decoded outputs,
 * the model's strings; the JSON goes to the socket as it is written); forty clients reading one at
 * once ran the api out of heap. An answer of more
 * than {@link #SMALL} bytes, by the store's estimate, takes its size from the budget until it is
 * sent; one that cannot within {@link #QUEUE} is a 503 with Retry-After, and the heap stays bounded.
 */
public final class ResponseBudget {
    /** Below this an answer is not counted: the many small ones must not queue behind the few large. */
    public static final long SMALL = 256 << 10;
    private static final Duration QUEUE = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore kibibytes;
    private final long budgetKib;

    /** @param bytes how much the large answers in flight may be estimated at together */
    public ResponseBudget(long bytes) {
        if (bytes < SMALL) {
            throw new IllegalArgumentException("a response budget of " + bytes + " bytes holds no large answer");
        }
        this.budgetKib = bytes >> 10;
        this.kibibytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetKib), true);
    }

    /** What an admitted answer holds until it is sent; closing it gives it back. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        /** A small answer's: nothing. */
        Held NONE = () -> {};

        @Override
        void close();
    }

    /**
     * Takes {@code estimatedBytes} from the budget (nothing for a small answer), waiting up to two
     * seconds; an answer larger than the whole budget waits for all of it.
     *
     * @throws ApiException.ServiceUnavailable when the budget stays spent
     */
    public Held admit(long estimatedBytes) {
        if (estimatedBytes <= SMALL) {
            return Held.NONE;
        }
        int kib = (int) Math.min(budgetKib, (estimatedBytes + 1023) >> 10);
        boolean taken;
        try {
            taken = kibibytes.tryAcquire(kib, QUEUE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            throw new ApiException.ServiceUnavailable("the server is sending as many large results as it holds at once"
                    + " (this one is about " + (estimatedBytes >> 10) + " KiB); try again shortly", RETRY_AFTER);
        }
        return () -> kibibytes.release(kib);
    }

    /** What is left of the budget now, in KiB: for tests and metrics. */
    public int availableKib() {
        return kibibytes.availablePermits();
    }
}
