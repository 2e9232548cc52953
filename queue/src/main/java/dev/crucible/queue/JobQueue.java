package dev.crucible.queue;

import java.util.UUID;

/** The api's side of the job queue. */
public interface JobQueue {
    /**
     * Puts the job, in its {@link JobCodec} text form, at the end of its lane; returns once Redis has
     * it. Lanes share the executors round robin, so one lane's backlog delays another lane's next job
     * by at most one job per slot. A job already waiting is not queued twice.
     *
     * @param lane whose job it is, e.g. the submitter key's id
     */
    void enqueue(UUID submissionId, String lane, String encodedJob);
}
