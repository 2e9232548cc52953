package dev.crucible.api.compat.judge0;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judge0's {@code command_line_arguments} as an argv. Judge0 appends the string to the run command in
 * a bash script, after dropping {@code $&;<>|} and backticks; bash then splits it at blanks and removes
 * quotes and backslashes. The same split is done here, and the result handed to the program as argv:
 * no shell ever reads it. Globs and braces are left as they are, since nothing here expands them.
 */
final class CommandLine {
    private static final String DROPPED = "$&;<>|`";

    private CommandLine() {}

    /** The arguments, or empty when a quote is left open (bash would refuse the script). */
    static Optional<List<String>> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        String text = strip(line);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && "\"\\\n".indexOf(text.charAt(i + 1)) >= 0) {
                    // In double quotes bash keeps a backslash but before ", \ and a newline ($ and ` are dropped already).
                    char next = text.charAt(++i);
                    if (next != '\n') {
                        current.append(next);
                    }
                } else {
                    current.append(c);
                }
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    args.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    if (i + 1 == text.length()) {
                        current.append(c); // nothing left for it to escape: bash keeps it
                    } else {
                        char next = text.charAt(++i);
                        if (next != '\n') {
                            current.append(next);
                        }
                    }
                } else {
                    current.append(c);
                }
            }
        }
        if (quote != 0) {
            return Optional.empty();
        }
        if (inWord) {
            args.add(current.toString());
        }
        return Optional.of(List.copyOf(args));
    }

    /** What Judge0 keeps of the string: stripped, without the characters it drops for its shell's sake. */
    static String strip(String line) {
        StringBuilder kept = new StringBuilder();
        for (char c : line.strip().toCharArray()) {
            if (DROPPED.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return kept.toString();
    }
}
