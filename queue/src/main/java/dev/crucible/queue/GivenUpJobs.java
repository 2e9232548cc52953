package dev.crucible.queue;

import java.util.UUID;

/**
 * Told of each job the queue gives up on: handed out too often (its executors kept dying on it), or
 * unreadable. The queue only moves entries; whoever consumes the jobs ends their submissions.
 */
@FunctionalInterface
public interface GivenUpJobs {
    /**
     * Called before the job's entry goes to the dead-letter stream; a failure here leaves the entry
     * where it is, to be given up again on a later take.
     *
     * @param reason why, for the submission's message
     */
    void givenUp(UUID submissionId, String reason);
}
