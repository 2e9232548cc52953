package dev.crucible.queue;

/** Root of every queue failure: Redis unreachable, a command timed out, a message that cannot be read. */
public class QueueException extends RuntimeException {
    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
