package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GivenUpAsInternalErrorTest {
    @Test
    void givenUpJobEndsAsInternalErrorWithTheQueuesReason() {
        List<ExecutionEvent> published = new ArrayList<>();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        UUID id = UUID.randomUUID();
        new GivenUpAsInternalError(published::add, Clock.fixed(now, ZoneOffset.UTC)).givenUp(id, "given up after 4 deliveries");
        var finished = assertInstanceOf(ExecutionEvent.Finished.class, published.getFirst());
        assertEquals(id, finished.submissionId());
        assertEquals("queue", finished.executor());
        assertEquals(Verdict.INTERNAL_ERROR, finished.outcome().verdict());
        assertEquals("given up after 4 deliveries", finished.outcome().diagnostics().message());
        assertEquals(now, finished.outcome().context().finishedAt());
    }
}
