package dev.crucible.queue;

import java.util.Set;
import java.util.UUID;

/**
 * Which submissions the job stream still holds a job for, so that the api can tell a job that is
 * waiting or running from one the queue lost.
 */
public interface LiveJobs {
    /**
     * The submissions with an entry in the job stream: queued, or handed to an executor and not yet
     * finished (an entry stays until its job is completed, claimed or not). Reads the whole stream.
     */
    Set<UUID> submissionIds();
}
