package dev.crucible.queue;

import java.util.UUID;

/** The api's side of the job stream. */
public interface JobQueue {
    /** Appends the job, in its {@link JobCodec} text form, to the stream; returns once Redis has it. */
    void enqueue(UUID submissionId, String encodedJob);
}
