package dev.crucible.config;

import java.util.Objects;

/**
 * A value that must not reach a log: a password, a key, a URI with credentials in it. Printing a
 * configuration that holds one shows that it is set, never what it is.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The value itself, for the one call that needs it (a connection, a hash); never for a message. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
