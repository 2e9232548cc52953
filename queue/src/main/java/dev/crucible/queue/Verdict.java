package dev.crucible.queue;

import java.util.Locale;

/** How a run ended, as judged from outside the sandbox. */
public enum Verdict {
    ACCEPTED,
    WRONG_ANSWER,
    COMPILE_ERROR,
    RUNTIME_ERROR,
    TIME_LIMIT_EXCEEDED,
    MEMORY_LIMIT_EXCEEDED,
    OUTPUT_LIMIT_EXCEEDED,
    INTERNAL_ERROR;

    /** Its name in the API, the database and metrics, e.g. {@code time_limit_exceeded}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The verdict a wire name names. */
    public static Verdict ofWireName(String wireName) {
        for (Verdict verdict : values()) {
            if (verdict.wireName().equals(wireName)) {
                return verdict;
            }
        }
        throw new IllegalArgumentException("no verdict is called '" + wireName + "'");
    }
}
