package dev.crucible.executor.sandbox;

/** The sandbox machinery failed: Docker or its proxy refused, was unreachable, or an image is missing. */
public class SandboxException extends RuntimeException {
    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
