package dev.crucible.config;

/** A variable of the environment is missing or has a value the process cannot use; the message names both. */
public final class ConfigException extends RuntimeException {
    ConfigException(String message) {
        super(message);
    }
}
