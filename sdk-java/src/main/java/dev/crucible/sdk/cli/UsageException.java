package dev.crucible.sdk.cli;

/** The command line, or a file or setting it names, cannot be used: exit status 2 and a message saying why. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
