package dev.crucible.executor.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionScriptsTest {
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Test
    void refusesPathsThatCouldLeaveTheWorkspace() {
        for (String path : List.of("", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/.", "a/", "a\nb", "x".repeat(256))) {
            assertNotNull(SessionScripts.refusal(path), path);
        }
        assertNull(SessionScripts.refusal("src/main.py"));
    }

    @Test
    void aCommandsDataTravelsAsParametersNeverInTheScript() {
        List<String> plain = SessionScripts.command(ID, "", Duration.ofMillis(1500), Map.of(), List.of("true"));
        List<String> hostile = SessionScripts.command(ID, "JChybSAtcmYgLyk=", Duration.ofMillis(1500), Map.of("X", "$(id)"),
                List.of("$(rm -rf /)", "`id`"));
        assertEquals(plain.subList(0, 4), hostile.subList(0, 4));
        assertEquals(List.of(ID.toString(), "JChybSAtcmYgLyk=", "1.500", "X=$(id)", "--", "$(rm -rf /)", "`id`"),
                hostile.subList(4, hostile.size()));
    }

    @Test
    void theTimeoutIsGivenInSecondsWithMilliseconds() {
        assertEquals("0.100", SessionScripts.command(ID, "", Duration.ofMillis(100), Map.of(), List.of("true")).get(6));
        assertEquals("30.000", SessionScripts.command(ID, "", Duration.ofSeconds(30), Map.of(), List.of("true")).get(6));
    }

    @Test
    void fileScriptsCheckThePathBeforeItIsSent() {
        assertThrows(IllegalArgumentException.class, () -> SessionScripts.read("../etc/passwd", 10));
        assertThrows(IllegalArgumentException.class, () -> SessionScripts.place("/etc/x", ID));
        assertEquals("sub/.", SessionScripts.list("sub", 5).get(4));
        assertEquals(".", SessionScripts.list("", 5).get(4));
    }

    @Test
    void aListingIsReadNulSeparatedWithTypesAndSizes() {
        byte[] listing = "d 4096 src\0f 12 a b.txt\0l 11 link\0p 0 fifo\0".getBytes();
        var entries = SessionCommands.entries(listing, "dir");
        assertEquals(4, entries.size());
        assertEquals("dir/src", entries.get(0).path());
        assertEquals("directory", entries.get(0).type());
        assertEquals("dir/a b.txt", entries.get(1).path());
        assertEquals(12, entries.get(1).size());
        assertEquals("symlink", entries.get(2).type());
        assertEquals("other", entries.get(3).type());
    }
}
