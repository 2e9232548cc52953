package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static List<String> split(String line) {
        return CommandLine.split(line).orElseThrow();
    }

    @Test
    void blanksSeparateArguments() {
        assertEquals(List.of("a", "b", "c"), split("  a b\tc  "));
    }

    @Test
    void quotesAndBackslashesAreRemovedAsBashRemovesThem() {
        assertEquals(List.of("a b", "it's", "x\"y", "", "q\\"), split("'a b' it\\'s \"x\\\"y\" '' \"q\\\\\""));
        assertEquals(List.of("a\\nb"), split("\"a\\nb\""), "in double quotes a backslash stays before other characters");
    }

    @Test
    void theCharactersJudge0DropsAreDroppedNotInterpreted() {
        assertEquals(List.of("ab", "c", "HOME"), split("a;b c&|> $HOME"));
        assertEquals(List.of("*.txt"), split("*.txt"), "nothing expands globs");
    }

    @Test
    void anOpenQuoteIsRefused() {
        assertTrue(CommandLine.split("'open").isEmpty());
        assertEquals(Optional.of(List.of()), CommandLine.split("   "));
    }
}
