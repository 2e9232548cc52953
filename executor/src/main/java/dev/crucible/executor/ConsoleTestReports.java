package dev.crucible.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.queue.ExecutionEvent.TestCaseOutcome;
import dev.crucible.queue.ExecutionEvent.TestCaseStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test cases a project's test command printed, for runners whose images write no JUnit XML:
 * {@code go test -json}, TAP (what {@code node --test} prints on Node 18) and Rust's libtest
 * ({@code cargo test}, or a {@code rustc --test} binary). Read only when no JUnit report was found.
 *
 * <p>The output is the program's, so it is read as hostile like the reports: cases, names and
 * messages carry {@link JunitReports}'s caps, and nothing printed is ever interpreted beyond these
 * line formats. A format is recognised by its own marks (JSON lines with an {@code Action}; a
 * {@code TAP version} line or a plan; libtest's {@code running N tests}), never by guessing.
 */
final class ConsoleTestReports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern TAP_MARK = Pattern.compile("(?m)^(TAP version \\d+|\\s*1\\.\\.\\d+)\\s*$");
    private static final Pattern TAP_POINT = Pattern.compile("^(\\s*)(not )?ok\\b\\s*\\d*\\s*(?:- )?(.*?)\\s*(?:#\\s*(SKIP|TODO)\\b.*)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TAP_DURATION = Pattern.compile("^\\s*duration_ms:\\s*([0-9.]+)\\s*$");
    private static final Pattern TAP_ERROR = Pattern.compile("^(\\s*)error:\\s*(?:[|>]-?)?\\s*(.*)$");
    private static final Pattern LIBTEST_MARK = Pattern.compile("(?m)^running \\d+ tests?$");
    private static final Pattern LIBTEST_CASE = Pattern.compile("^test (\\S+) \\.\\.\\. (ok|FAILED|ignored)\\b.*$");
    private static final Pattern LIBTEST_SECTION = Pattern.compile("^---- (\\S+) stdout ----$");

    private ConsoleTestReports() {}

    /** The cases read and the format they were read as; {@code truncated} as in {@link JunitReports.Parsed}. */
    record Read(String format, List<TestCaseOutcome> cases, boolean truncated) {
        Read {
            cases = List.copyOf(cases);
        }
    }

    /** The cases the output gives, or null when it holds no case in a known format. */
    static Read parse(String output) {
        Read read = goJson(output);
        if (read == null && TAP_MARK.matcher(output).find()) {
            read = tap(output);
        }
        if (read == null && LIBTEST_MARK.matcher(output).find()) {
            read = libtest(output);
        }
        return read;
    }

    /** go test -json: one event per line; a test's own "output" events make its failure message. */
    private static Read goJson(String output) {
        Map<String, StringBuilder> printed = new HashMap<>();
        Cases cases = new Cases("go test -json");
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (Exception notJson) {
                continue;
            }
            String action = event.path("Action").asText("");
            String test = event.path("Test").asText(null);
            if (test == null) {
                continue;
            }
            String pkg = event.path("Package").asText(null);
            String key = pkg + "\u0000" + test;
            switch (action) {
                case "output" -> {
                    StringBuilder text = printed.computeIfAbsent(key, k -> new StringBuilder());
                    if (text.length() < JunitReports.MESSAGE_CHARS) {
                        text.append(event.path("Output").asText(""));
                    }
                }
                case "pass", "fail", "skip" -> {
                    TestCaseStatus status = switch (action) {
                        case "pass" -> TestCaseStatus.PASSED;
                        case "fail" -> TestCaseStatus.FAILED;
                        default -> TestCaseStatus.SKIPPED;
                    };
                    Long ms = event.has("Elapsed") ? Math.round(event.path("Elapsed").asDouble() * 1000) : null;
                    StringBuilder text = printed.remove(key);
                    cases.add(test, pkg, status, ms, status == TestCaseStatus.FAILED && text != null ? text.toString() : null);
                }
                default -> { }
            }
        }
        return cases.read();
    }

    /** TAP 13/14: test points, nested by indentation, each maybe followed by a YAML block. */
    private static Read tap(String output) {
        record Point(int indent, String name, TestCaseStatus status, Long ms, String message) {}
        List<Point> points = new ArrayList<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher point = TAP_POINT.matcher(lines[i]);
            if (!point.matches()) {
                continue;
            }
            int indent = point.group(1).length();
            TestCaseStatus status = point.group(4) != null ? TestCaseStatus.SKIPPED
                    : point.group(2) != null ? TestCaseStatus.FAILED : TestCaseStatus.PASSED;
            Long ms = null;
            StringBuilder message = null;
            if (i + 1 < lines.length && lines[i + 1].trim().equals("---")) {
                int errorIndent = -1;
                for (i += 2; i < lines.length && !lines[i].trim().equals("..."); i++) {
                    Matcher duration = TAP_DURATION.matcher(lines[i]);
                    Matcher error = TAP_ERROR.matcher(lines[i]);
                    int lineIndent = lines[i].length() - lines[i].stripLeading().length();
                    if (errorIndent >= 0 && (lineIndent > errorIndent || lines[i].isBlank())) {
                        if (message.length() < JunitReports.MESSAGE_CHARS) {
                            message.append(message.isEmpty() ? "" : "\n").append(lines[i].strip());
                        }
                        continue;
                    }
                    errorIndent = -1;
                    if (duration.matches()) {
                        ms = Math.round(Double.parseDouble(duration.group(1)));
                    } else if (error.matches()) {
                        errorIndent = error.group(1).length();
                        message = new StringBuilder(error.group(2).replaceAll("^'|'$", ""));
                    }
                }
            }
            points.add(new Point(indent, point.group(3), status, ms,
                    status == TestCaseStatus.FAILED && message != null ? message.toString() : null));
        }
        // A point just after deeper ones closes their group (node's describe): it names their class and is no case.
        // Each point is pushed and popped at most once, so hostile nesting costs no more than its lines.
        String[] classnames = new String[points.size()];
        boolean[] group = new boolean[points.size()];
        Deque<Integer> open = new ArrayDeque<>();
        for (int j = 0; j < points.size(); j++) {
            Point p = points.get(j);
            if (j > 0 && points.get(j - 1).indent() > p.indent()) {
                group[j] = true;
                while (!open.isEmpty() && points.get(open.peek()).indent() > p.indent()) {
                    classnames[open.pop()] = p.name();
                }
            } else {
                open.push(j);
            }
        }
        Cases cases = new Cases("TAP");
        for (int j = 0; j < points.size(); j++) {
            Point p = points.get(j);
            if (!group[j]) {
                cases.add(p.name(), classnames[j], p.status(), p.ms(), p.message());
            }
        }
        return cases.read();
    }

    /** libtest: "test path::name ... ok|FAILED|ignored", then each failure's captured stdout. */
    private static Read libtest(String output) {
        Map<String, TestCaseStatus> statuses = new LinkedHashMap<>();
        Map<String, StringBuilder> printed = new HashMap<>();
        StringBuilder section = null;
        for (String line : output.split("\n")) {
            Matcher test = LIBTEST_CASE.matcher(line);
            Matcher heading = LIBTEST_SECTION.matcher(line);
            if (test.matches()) {
                statuses.putIfAbsent(test.group(1), switch (test.group(2)) {
                    case "ok" -> TestCaseStatus.PASSED;
                    case "FAILED" -> TestCaseStatus.FAILED;
                    default -> TestCaseStatus.SKIPPED;
                });
                section = null;
            } else if (heading.matches()) {
                section = printed.computeIfAbsent(heading.group(1), k -> new StringBuilder());
            } else if (line.equals("failures:") || line.startsWith("test result:")) {
                section = null;
            } else if (section != null && section.length() < JunitReports.MESSAGE_CHARS) {
                section.append(section.isEmpty() ? "" : "\n").append(line);
            }
        }
        Cases cases = new Cases("libtest");
        statuses.forEach((path, status) -> {
            int split = path.lastIndexOf("::");
            StringBuilder text = printed.get(path);
            cases.add(split < 0 ? path : path.substring(split + 2), split < 0 ? null : path.substring(0, split), status, null,
                    status == TestCaseStatus.FAILED && text != null ? text.toString().strip() : null);
        });
        return cases.read();
    }

    /** Cases as they are read, capped as {@link JunitReports} caps them. */
    private static final class Cases {
        private final String format;
        private final List<TestCaseOutcome> kept = new ArrayList<>();
        private boolean truncated;

        Cases(String format) {
            this.format = format;
        }

        void add(String name, String classname, TestCaseStatus status, Long ms, String message) {
            if (kept.size() >= JunitReports.MAX_CASES) {
                truncated = true;
                return;
            }
            kept.add(new TestCaseOutcome(name == null || name.isBlank() ? JunitReports.UNNAMED : cut(name, JunitReports.NAME_CHARS),
                    classname == null || classname.isBlank() ? null : cut(classname, JunitReports.NAME_CHARS), status,
                    ms == null || ms < 0 ? null : ms, message == null || message.isBlank() ? null : cut(message, JunitReports.MESSAGE_CHARS)));
        }

        Read read() {
            return kept.isEmpty() ? null : new Read(format, kept, truncated);
        }

        private static String cut(String text, int most) {
            return text.length() <= most ? text : text.substring(0, most);
        }
    }
}
