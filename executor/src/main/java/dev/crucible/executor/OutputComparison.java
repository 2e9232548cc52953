package dev.crucible.executor;

import dev.crucible.queue.Job.Comparison;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a program's stdout matches what a test expects. Bytes are read as ISO-8859-1, which maps
 * each byte to one character, so any output - valid UTF-8 or not - compares byte for byte outside the
 * whitespace the mode ignores.
 */
final class OutputComparison {
    private OutputComparison() {}

    static boolean matches(Comparison mode, byte[] actual, byte[] expected) {
        return switch (mode) {
            case EXACT -> Arrays.equals(actual, expected);
            case TRAILING_WHITESPACE -> trimmedLines(actual).equals(trimmedLines(expected));
            case WHITESPACE -> tokens(actual).equals(tokens(expected));
        };
    }

    /** Lines without trailing spaces, tabs and carriage returns; blank lines at the end dropped. */
    private static List<String> trimmedLines(byte[] bytes) {
        List<String> lines = new ArrayList<>(List.of(text(bytes).split("\n", -1)));
        lines.replaceAll(OutputComparison::stripTrailing);
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    /** Without trailing spaces, tabs and carriage returns; a loop, as a regex would be quadratic on long runs. */
    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    private static List<String> tokens(byte[] bytes) {
        String trimmed = text(bytes).strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("[ \t\r\n\f\u000b]+"));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
