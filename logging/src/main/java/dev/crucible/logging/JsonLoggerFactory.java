package dev.crucible.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/** Hands out one logger per name; all of them share the threshold, the MDC and the one output. */
final class JsonLoggerFactory implements ILoggerFactory {
    private final OutputStream out;
    private final Level threshold;
    private final MDCAdapter mdc;
    private final ConcurrentMap<String, JsonLogger> loggers = new ConcurrentHashMap<>();

    JsonLoggerFactory(OutputStream out, Level threshold, MDCAdapter mdc) {
        this.out = out;
        this.threshold = threshold;
        this.mdc = mdc;
    }

    /** The level a setting names, in any case; INFO when there is no setting, null when it names none. */
    static Level level(String setting) {
        if (setting == null || setting.isBlank()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(setting.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, this));
    }

    boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    MDCAdapter mdc() {
        return mdc;
    }

    /**
     * Writes one complete line in one call under a lock, so that lines of different threads never
     * interleave. A failing output is ignored: logging must never break the work that logs.
     */
    void write(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // Nowhere left to report it.
            }
        }
    }
}
