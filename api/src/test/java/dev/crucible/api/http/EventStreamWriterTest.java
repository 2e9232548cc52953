package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStreamWriterTest {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private String written() {
        return body.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStateStreamCountsItsEvents() throws IOException {
        EventStreamWriter out = EventStreamWriter.ofStates(body);
        out.event("evaluation", "{}");
        out.event("evaluation", "{\"a\":1}");
        assertEquals("event: evaluation\nid: 1\ndata: {}\n\nevent: evaluation\nid: 2\ndata: {\"a\":1}\n\n", written());
    }

    @Test
    void anIdOnALiveStreamNamesTheLastOutputSent() throws IOException {
        EventStreamWriter out = EventStreamWriter.withLiveOutput(body, null);
        out.event("session", "{}");
        out.liveAfter("1733500000000-3");
        out.event("output", "{}");
        assertEquals("event: session\nid: 1.0\ndata: {}\n\nevent: output\nid: 2.1733500000000-3\ndata: {}\n\n", written());
    }

    @Test
    void aResumedStreamGoesOnFromTheLastEventId() throws IOException {
        EventStreamWriter out = EventStreamWriter.withLiveOutput(body, " 7.1733500000000-3 ");
        assertEquals("1733500000000-3", out.liveAfter());
        out.event("session", "{}");
        assertEquals("event: session\nid: 8.1733500000000-3\ndata: {}\n\n", written());
    }

    @Test
    void aStreamOfChangesResumesAfterTheLastChangeTold() throws IOException {
        EventStreamWriter out = EventStreamWriter.withLiveOutput(body, "3.0.41");
        assertEquals(41L, out.mark());
        out.mark(42);
        out.event("command", "{}");
        assertEquals("event: command\nid: 4.0.42\ndata: {}\n\n", written());
    }

    @Test
    void aLastEventIdNotOfItsMakingStartsAfresh() {
        EventStreamWriter out = EventStreamWriter.withLiveOutput(body, "7.$(id)");
        assertEquals(0, out.sent());
        assertEquals(null, out.liveAfter());
    }
}
