package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.queue.Job.Comparison;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {
    private static boolean matches(Comparison mode, String actual, String expected) {
        return OutputComparison.matches(mode, actual.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void exactNeedsEveryByte() {
        assertTrue(matches(Comparison.EXACT, "42\n", "42\n"));
        assertFalse(matches(Comparison.EXACT, "42\n", "42"));
    }

    @Test
    void trailingWhitespaceIgnoresLineEndsAndFinalBlankLines() {
        assertTrue(matches(Comparison.TRAILING_WHITESPACE, "1 2  \r\n3\t\n\n\n", "1 2\n3"));
    }

    @Test
    void trailingWhitespaceStillSeesInnerSpaces() {
        assertFalse(matches(Comparison.TRAILING_WHITESPACE, "1  2\n", "1 2\n"));
    }

    @Test
    void trailingWhitespaceStillSeesLeadingSpaces() {
        assertFalse(matches(Comparison.TRAILING_WHITESPACE, " 1\n", "1\n"));
    }

    @Test
    void trailingWhitespaceStillSeesBlankLinesInside() {
        assertFalse(matches(Comparison.TRAILING_WHITESPACE, "1\n\n2\n", "1\n2\n"));
    }

    @Test
    void whitespaceFoldsEveryRun() {
        assertTrue(matches(Comparison.WHITESPACE, "  1\t 2\n\n3 ", "1 2 3"));
    }

    @Test
    void whitespaceStillSeesTokens() {
        assertFalse(matches(Comparison.WHITESPACE, "12 3", "1 23"));
    }

    @Test
    void emptyMatchesOnlyEmptyOrBlank() {
        assertTrue(matches(Comparison.WHITESPACE, "\n \n", ""));
        assertFalse(matches(Comparison.TRAILING_WHITESPACE, "x", ""));
    }

    @Test
    void longRunsOfInnerSpacesAreNoTrap() {
        // Quadratic trimming took minutes on this; a linear one takes milliseconds.
        String spaces = " ".repeat(200_000) + "x";
        assertFalse(matches(Comparison.TRAILING_WHITESPACE, "", spaces));
    }

    @Test
    void bytesThatAreNotUtf8CompareExactly() {
        assertTrue(OutputComparison.matches(Comparison.TRAILING_WHITESPACE, new byte[] {(byte) 0xff, ' ', '\n'}, new byte[] {(byte) 0xff}));
        assertFalse(OutputComparison.matches(Comparison.TRAILING_WHITESPACE, new byte[] {(byte) 0xfe}, new byte[] {(byte) 0xff}));
    }
}
