package dev.crucible.api.submission;

import java.util.Locale;

/** Where a submission is in its life; its wire name is what the {@code status} column and the API say. */
enum Status {
    QUEUED,
    RUNNING,
    COMPLETED,
    CANCELLED;

    /** Its name in the database and the API, e.g. {@code queued}. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a stored wire name names. */
    static Status ofWireName(String stored) {
        for (Status status : values()) {
            if (status.wireName().equals(stored)) {
                return status;
            }
        }
        throw new IllegalArgumentException("no submission status is called '" + stored + "'");
    }

    /** Completed or cancelled: nothing will change the submission any more. */
    boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
