package dev.crucible.queue;

/** Where executors report what happens to submissions. */
public interface EventSink {
    void publish(ExecutionEvent event);
}
