package dev.crucible.queue;

/** The api's side of the job stream. */
public interface JobQueue {
    /** Appends the job to the stream; returns once Redis has it. */
    void enqueue(Job job);
}
