package dev.crucible.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * What SLF4J finds on the classpath (META-INF/services): JSON lines on stderr, at the level named by
 * {@code CRUCIBLE_LOG_LEVEL} (TRACE, DEBUG, INFO, WARN or ERROR; INFO when unset), read once at start.
 * stderr because the launcher sends the processes' stdout and stderr to the same log file, and the
 * JDK's own messages (a crash, an uncaught exception) go to stderr too.
 */
public final class JsonServiceProvider implements SLF4JServiceProvider {
    private static final String LEVEL_VARIABLE = "CRUCIBLE_LOG_LEVEL";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new ThreadMdcAdapter();
    private JsonLoggerFactory loggers;

    @Override
    public void initialize() {
        String setting = System.getenv(LEVEL_VARIABLE);
        Level threshold = JsonLoggerFactory.level(setting);
        loggers = new JsonLoggerFactory(System.err, threshold == null ? Level.INFO : threshold, mdc);
        if (threshold == null) {
            loggers.getLogger(JsonServiceProvider.class.getName())
                    .warn("{}={} is not one of TRACE, DEBUG, INFO, WARN, ERROR; logging at INFO", LEVEL_VARIABLE, setting);
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        // Any 2.0.x slf4j-api accepts it.
        return "2.0.99";
    }
}
