package dev.crucible.executor.sandbox;

/** Asked while a sandbox runs: when it answers true, the sandbox is killed. */
@FunctionalInterface
public interface Cancellation {
    Cancellation NEVER = () -> false;

    boolean requested();
}
