package dev.crucible.sdk;

import dev.crucible.sdk.model.SubmissionStatus;
import java.time.Duration;
import java.util.UUID;

/**
 * The submission was not final within the deadline the caller gave. It goes on running on the server:
 * read it later by {@link #submissionId()}, or cancel it.
 */
public final class CrucibleTimeoutException extends CrucibleException {
    private final UUID submissionId;
    private final SubmissionStatus lastStatus;

    CrucibleTimeoutException(UUID submissionId, SubmissionStatus lastStatus, Duration deadline) {
        super("submission " + submissionId + " was not final within " + deadline
                + (lastStatus == null ? "" : "; it was " + lastStatus + " when last read"));
        this.submissionId = submissionId;
        this.lastStatus = lastStatus;
    }

    public UUID submissionId() {
        return submissionId;
    }

    /** The status last read, or null when none was. */
    public SubmissionStatus lastStatus() {
        return lastStatus;
    }
}
