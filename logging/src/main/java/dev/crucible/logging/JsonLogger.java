package dev.crucible.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes each event as one JSON object on one line: time, level, logger, thread, every MDC entry
 * (such as {@code submission}), message, and for a throwable {@code error} and {@code stack}.
 * The abstract class has already moved a trailing throwable argument into {@code throwable}.
 * Markers are ignored, and no caller location is looked up.
 */
final class JsonLogger extends LegacyAbstractLogger {
    /** ISO-8601 in UTC, always with milliseconds, so that the times of lines sort as text. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private final JsonLoggerFactory factory;

    JsonLogger(String name, JsonLoggerFactory factory) {
        this.name = name;
        this.factory = factory;
    }

    @Override
    public boolean isTraceEnabled() {
        return factory.enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return factory.enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return factory.enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return factory.enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return factory.enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        try {
            factory.write(line(level, pattern, arguments, throwable));
        } catch (RuntimeException e) {
            // A throwable whose printing fails, say: logging must never break the work that logs.
        }
    }

    private String line(Level level, String pattern, Object[] arguments, Throwable throwable) {
        StringBuilder json = new StringBuilder(256);
        field(json.append('{'), "time", TIME.format(Instant.now()));
        field(json.append(','), "level", level.name());
        field(json.append(','), "logger", name);
        field(json.append(','), "thread", threadName());
        Map<String, String> context = factory.mdc().getCopyOfContextMap();
        if (context != null) {
            // Sorted, so that the same keys stand in the same order on every line.
            new TreeMap<>(context).forEach((key, value) -> field(json.append(','), key, value));
        }
        field(json.append(','), "message", MessageFormatter.basicArrayFormat(pattern, arguments));
        if (throwable != null) {
            field(json.append(','), "error", throwable.toString());
            field(json.append(','), "stack", stackTrace(throwable));
        }
        return json.append("}\n").toString();
    }

    /** Virtual threads are mostly unnamed; their id still tells the lines of one request from another's. */
    private static String threadName() {
        Thread thread = Thread.currentThread();
        return thread.getName().isEmpty() ? "#" + thread.threadId() : thread.getName();
    }

    private static String stackTrace(Throwable throwable) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }

    private static void field(StringBuilder json, String key, String value) {
        string(json, key);
        json.append(':');
        string(json, value);
    }

    /**
     * A JSON string: quotes and backslashes escaped, control characters as escapes so that a value
     * never breaks its line nor sends a terminal control sequence, and a lone surrogate (which
     * UTF-8 cannot carry) as its escape. Characters beyond the BMP stay as they are.
     */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    boolean control = c < 0x20 || c >= 0x7f && c <= 0x9f;
                    boolean loneSurrogate = c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
                    if (control || loneSurrogate) {
                        json.append(String.format("\\u%04x", c));
                    } else {
                        json.appendCodePoint(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
