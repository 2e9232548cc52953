package dev.crucible.executor.sandbox;

/**
 * Sees a program's output as it comes, besides what the run keeps of it: live output for those
 * watching. Called on the thread that reads the exec's stream, so it must return at once.
 */
@FunctionalInterface
public interface OutputTap {
    OutputTap NONE = (stream, bytes) -> {};

    /** {@code bytes} is the reader's buffer, reused after the call: copy what is kept. */
    void take(Stream stream, byte[] bytes);

    enum Stream { STDOUT, STDERR }
}
