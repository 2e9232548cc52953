package dev.crucible.executor.sandbox;

/** Runs untrusted programs in isolation. The one seam between the executor and how isolation is done. */
public interface Sandbox {
    /**
     * Runs the program to completion or to a limit, and leaves nothing behind.
     *
     * @throws SandboxException when the sandbox itself fails (never for what the program does)
     */
    SandboxRun run(SandboxSpec spec, Cancellation cancellation);
}
