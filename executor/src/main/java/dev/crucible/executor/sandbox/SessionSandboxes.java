package dev.crucible.executor.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * Sandboxes that outlive one program: a session's, started once and then given command after
 * command, each as its own exec, until the session ends and the sandbox is removed. Same hardening
 * as a run's sandbox; never shared between sessions.
 */
public interface SessionSandboxes {
    /** A started sandbox of {@code image} with {@code memoryBytes}, named {@code name}, for one session only. */
    Held start(String image, long memoryBytes, String name);

    /**
     * Runs one command in {@code sandbox} as the program's uid, in the work folder, to its exit or to
     * {@code exec.hostDeadline()}: then the run ends {@link Ending.TimedOut}, and the command still runs
     * (the caller ends the session). Output past a cap runs {@code exec.stop()} and ends the run
     * {@link Ending.OutputExceeded} once the command is gone.
     */
    SandboxRun exec(Held sandbox, Exec exec);

    /** Whether the sandbox still runs: false once it was killed for memory (or died). */
    boolean alive(Held sandbox);

    /** Removes the sandbox and everything in it, off the caller's path. */
    void remove(Held sandbox);

    record Held(String id, String name) {}

    /**
     * @param command      the argv, run without a shell
     * @param hostDeadline how long the host waits for the command's exit, its own kill inside included
     * @param stop         an argv run (as the same uid) to stop the command early, when its output overflows
     */
    record Exec(List<String> command, long stdoutBytes, long stderrBytes, Duration hostDeadline,
                List<String> stop, OutputTap tap) {
        public Exec {
            command = List.copyOf(command);
            stop = List.copyOf(stop);
        }
    }
}
