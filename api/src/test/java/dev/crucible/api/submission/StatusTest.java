package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crucible.api.model.SubmissionStatus;
import org.junit.jupiter.api.Test;

class StatusTest {
    @Test
    void wireNamesAreTheContractsStatuses() {
        for (Status status : Status.values()) {
            assertEquals(status.wireName(), SubmissionStatus.fromValue(status.wireName()).toString());
        }
    }

    @Test
    void storedWireNameReadsBack() {
        for (Status status : Status.values()) {
            assertEquals(status, Status.ofWireName(status.wireName()));
        }
    }
}
