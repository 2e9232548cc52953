package dev.crucible.executor;

import dev.crucible.queue.ExecutionEvent.TestCaseOutcome;
import dev.crucible.queue.ExecutionEvent.TestCaseStatus;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The test cases a project's JUnit XML reports give, as pytest, Maven Surefire, the JUnit Platform
 * console launcher, {@code node --test} and go-junit-report write them.
 *
 * <p>The reports were written inside the sandbox, so every byte is the program's: they are read as
 * hostile. The parser never resolves an entity or loads a DTD, so a report can neither read the
 * executor's files nor expand into gigabytes; names, messages and the number of cases are capped; and
 * a report that is not well-formed JUnit XML is named as unreadable rather than failing the job.
 */
final class JunitReports {
    static final int MAX_CASES = 10_000;
    static final int MESSAGE_CHARS = 4096;
    static final int NAME_CHARS = 512;
    static final String UNNAMED = "(unnamed)";

    /** Far longer than a sandbox is let run: a larger figure is not a time the case took. */
    private static final double MAX_SECONDS = Duration.ofDays(10).toSeconds();

    private JunitReports() {}

    /**
     * What the reports say, in the order given (reports by path, sorted, then document order).
     *
     * @param unreadable the paths of reports that are not well-formed XML with a {@code testsuites} or
     *                   {@code testsuite} root; none of their cases are in {@code cases}
     * @param truncated  the readable reports held more than {@link #MAX_CASES} cases; the first are kept
     */
    record Parsed(List<TestCaseOutcome> cases, List<String> unreadable, boolean truncated) {
        Parsed {
            cases = List.copyOf(cases);
            unreadable = List.copyOf(unreadable);
        }
    }

    /** One readable report's cases, as many as there was room for, and whether it held more. */
    private record Report(List<TestCaseOutcome> cases, boolean overflowed) {}

    static Parsed parse(SortedMap<String, byte[]> reportsByPath) {
        // A factory per call: it is mutable, so it is not shared between threads.
        XMLInputFactory factory = entityFreeFactory();
        List<TestCaseOutcome> cases = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        boolean truncated = false;
        for (var report : reportsByPath.entrySet()) {
            Optional<Report> read = read(factory, report.getValue(), MAX_CASES - cases.size());
            if (read.isEmpty()) {
                unreadable.add(report.getKey());
                continue;
            }
            cases.addAll(read.get().cases());
            truncated |= read.get().overflowed();
        }
        return new Parsed(cases, unreadable, truncated);
    }

    private static XMLInputFactory entityFreeFactory() {
        // The JDK's own parser, not whichever StAX provider the classpath may bring, as these settings
        // are known to hold for it; each is required, so a parser that refused one would fail here.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // An entity in text then comes as a reference event, which is skipped, never as its expansion.
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        // Should any setting above not hold, nothing outside the report is read all the same.
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("a report may not refer to " + systemId);
        });
        return factory;
    }

    /** The report's cases, read to its end so a report that breaks off late still counts as unreadable. */
    private static Optional<Report> read(XMLInputFactory factory, byte[] xml, int room) {
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                List<TestCaseOutcome> cases = new ArrayList<>();
                boolean overflowed = false;
                boolean rootSeen = false;
                while (reader.hasNext()) {
                    if (reader.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String element = reader.getLocalName();
                    if (!rootSeen && !element.equals("testsuites") && !element.equals("testsuite")) {
                        return Optional.empty();
                    }
                    rootSeen = true;
                    if (element.equals("testcase")) {
                        TestCaseOutcome testCase = readCase(reader);
                        if (cases.size() < room) {
                            cases.add(testCase);
                        } else {
                            overflowed = true;
                        }
                    }
                }
                return rootSeen ? Optional.of(new Report(cases, overflowed)) : Optional.empty();
            } finally {
                reader.close();
            }
        } catch (XMLStreamException notWellFormed) {
            return Optional.empty();
        }
    }

    /**
     * A {@code testcase} element, the reader on its start; leaves the reader on its end. Its first
     * failure, error or skipped child decides its status and message: what a runner adds after it (an
     * error in teardown after a failure, say) does not change how the case ended.
     */
    private static TestCaseOutcome readCase(XMLStreamReader reader) throws XMLStreamException {
        String name = reader.getAttributeValue(null, "name");
        String classname = reader.getAttributeValue(null, "classname");
        Long timeMs = millis(reader.getAttributeValue(null, "time"));
        TestCaseStatus status = TestCaseStatus.PASSED;
        String message = null;
        for (int depth = 1; depth > 0; ) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    Optional<TestCaseStatus> said = depth == 1 && status == TestCaseStatus.PASSED
                            ? statusOf(reader.getLocalName())
                            : Optional.empty();
                    if (said.isPresent()) {
                        status = said.get();
                        message = readMessage(reader);
                    } else {
                        depth++;
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> depth--;
                default -> {}
            }
        }
        return new TestCaseOutcome(
                name == null || name.isBlank() ? UNNAMED : cut(name, NAME_CHARS),
                classname == null || classname.isBlank() ? null : cut(classname, NAME_CHARS),
                status, timeMs, message);
    }

    private static Optional<TestCaseStatus> statusOf(String element) {
        return switch (element) {
            case "failure" -> Optional.of(TestCaseStatus.FAILED);
            case "error" -> Optional.of(TestCaseStatus.ERROR);
            case "skipped" -> Optional.of(TestCaseStatus.SKIPPED);
            default -> Optional.empty();
        };
    }

    /**
     * A status element's {@code message} attribute, else its text; null when both are blank. Leaves
     * the reader on its end. Holds at most one character more of the text than a message keeps, however
     * long the element, and skips entity references rather than expanding them.
     */
    private static String readMessage(XMLStreamReader reader) throws XMLStreamException {
        String attribute = reader.getAttributeValue(null, "message");
        StringBuilder text = new StringBuilder();
        for (int depth = 1; depth > 0; ) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        appendBounded(text, reader);
                default -> {}
            }
        }
        String message = (attribute != null && !attribute.isBlank() ? attribute : text.toString()).strip();
        return message.isEmpty() ? null : cut(message, MESSAGE_CHARS);
    }

    private static void appendBounded(StringBuilder text, XMLStreamReader reader) {
        char[] chars = reader.getTextCharacters();
        int start = reader.getTextStart();
        int end = start + reader.getTextLength();
        // Leading whitespace is dropped as it comes, so a run of it cannot use up the room for the message.
        while (text.isEmpty() && start < end && Character.isWhitespace(chars[start])) {
            start++;
        }
        text.append(chars, start, Math.min(end - start, MESSAGE_CHARS + 1 - text.length()));
    }

    /** The first {@code max} chars, one fewer when the last would be half of a surrogate pair. */
    private static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
    }

    /**
     * Seconds, as a plain decimal, in whole milliseconds; null for anything that is not a time a case
     * could have taken. Only digits, a point, signs and an exponent pass, so that Java's own spellings
     * ({@code NaN}, {@code 0x1p3}, {@code 2d}) do not.
     */
    private static Long millis(String seconds) {
        if (seconds == null) {
            return null;
        }
        String trimmed = seconds.strip();
        boolean decimal = !trimmed.isEmpty() && trimmed.chars().allMatch(
                c -> (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-');
        if (!decimal) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(trimmed);
        } catch (NumberFormatException notANumber) {
            return null;
        }
        // Also false for infinity, which an exponent can reach.
        return value >= 0 && value <= MAX_SECONDS ? Math.round(value * 1000) : null;
    }
}
