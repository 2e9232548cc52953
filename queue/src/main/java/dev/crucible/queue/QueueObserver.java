package dev.crucible.queue;

/**
 * Told what the queue does on its own, so that the process using it can count it: the queue knows
 * no metrics library. Called on the thread that reads the stream, so it must be quick.
 */
public interface QueueObserver {
    /**
     * {@code entries} of {@code stream} ({@code jobs} or {@code events}) were taken over from a
     * consumer that held them past the reclaim time: it probably died.
     */
    void reclaimed(String stream, int entries);

    /** An entry of {@code stream} was moved to the dead-letter stream: unreadable, or handed out too often. */
    void deadLettered(String stream);
}
