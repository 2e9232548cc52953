package dev.crucible.sdk;

import dev.crucible.sdk.model.Submission;

/** What {@link Crucible#watch} hands over as the event stream brings it, on the thread that called watch. */
public interface SubmissionListener {
    /** The submission as it is when the stream (re)connects, then once per change; the last one is final. */
    default void submission(Submission submission) {}

    /** A piece of live output. */
    default void output(OutputChunk chunk) {}
}
