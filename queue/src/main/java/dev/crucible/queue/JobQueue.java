package dev.crucible.queue;

/** The api's side of the job stream. */
public interface JobQueue {
    /** Appends the job, in its {@link JobCodec} text form, to the stream; returns once Redis has it. */
    void enqueue(java.util.UUID submissionId, String encodedJob);
}
