package dev.crucible.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.sdk.ServerSentEvents.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {
    private static List<Event> parse(String stream) throws IOException {
        List<Event> events = new ArrayList<>();
        new ServerSentEvents().read(new BufferedReader(new StringReader(stream)), () -> {}, e -> {
            events.add(e);
            return false;
        });
        return events;
    }

    @Test
    void anEventHasItsTypeIdAndData() throws IOException {
        assertEquals(List.of(new Event("submission", "1", "{\"status\":\"queued\"}")),
                parse("event: submission\nid: 1\ndata: {\"status\":\"queued\"}\n\n"));
    }

    @Test
    void dataLinesAreJoinedByLineFeeds() throws IOException {
        assertEquals(List.of(new Event("message", null, "first\n\nthird")),
                parse("data: first\ndata\ndata: third\n\n"));
    }

    @Test
    void commentsAreSkippedBetweenAndWithinEvents() throws IOException {
        assertEquals(List.of(new Event("output", "2", "a"), new Event("output", "3", "b")),
                parse(": stream of submission x\n\n: keep-alive\n\nevent: output\n: keep-alive\nid: 2\ndata: a\n\n"
                        + ": keep-alive\n\nevent: output\nid: 3\ndata: b\n\n"));
    }

    @Test
    void crlfAndLoneCarriageReturnsEndLinesToo() throws IOException {
        assertEquals(List.of(new Event("submission", "1", "x\ny"), new Event("output", "2", "z")),
                parse("event: submission\r\nid: 1\r\ndata: x\r\ndata: y\r\n\r\nevent: output\rid: 2\rdata: z\r\r"));
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() throws IOException {
        assertEquals(List.of(new Event("message", null, "  two spaces left"), new Event("message", null, "none")),
                parse("data:   two spaces left\n\ndata:none\n\n"));
    }

    @Test
    void theLastIdCarriesOverAndTheTypeDoesNot() throws IOException {
        assertEquals(List.of(new Event("submission", "7", "a"), new Event("message", "7", "b")),
                parse("event: submission\nid: 7\ndata: a\n\ndata: b\n\n"));
    }

    @Test
    void aBlankLineWithoutDataSendsNothingAndForgetsTheType() throws IOException {
        assertEquals(List.of(new Event("message", null, "after")), parse("event: submission\n\ndata: after\n\n"));
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsDropped() throws IOException {
        assertEquals(List.of(new Event("message", null, "whole")), parse("data: whole\n\nevent: output\ndata: cut"));
    }

    @Test
    void unknownFieldsAndAnIdWithNulAreIgnored() throws IOException {
        assertEquals(List.of(new Event("message", "1", "x")), parse("id: 1\nretry: 10\nfoo: bar\nid: a\0b\ndata: x\n\n"));
    }

    @Test
    void aByteOrderMarkAtTheStartIsIgnored() throws IOException {
        assertEquals(List.of(new Event("submission", null, "x")), parse("\uFEFFevent: submission\ndata: x\n\n"));
    }

    @Test
    void readingStopsWhenTheSinkIsDoneAndCountsEveryLine() throws IOException {
        List<Event> seen = new ArrayList<>();
        int[] lines = {0};
        boolean done = new ServerSentEvents().read(new BufferedReader(new StringReader(
                ": keep-alive\n\ndata: one\n\ndata: two\n\ndata: three\n\n")), () -> lines[0]++, e -> {
                    seen.add(e);
                    return e.data().equals("two");
                });

        assertTrue(done);
        assertEquals(List.of("one", "two"), seen.stream().map(Event::data).toList());
        assertEquals(6, lines[0]);
        assertFalse(new ServerSentEvents().read(new BufferedReader(new StringReader("data: x\n\n")), () -> {}, e -> false));
    }
}
