package dev.crucible.queue;

import java.util.UUID;

/** Which submissions were cancelled: the api marks them, executors look before and while they run them. */
public interface Cancellations {
    void cancel(UUID submissionId);

    boolean isCancelled(UUID submissionId);
}
