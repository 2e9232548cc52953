package dev.crucible.executor.sandbox;

/**
 * How a sandboxed run ended, as seen from outside: by itself, or stopped by the executor or the host.
 * Exactly one holds; when several causes meet (a flood of output during a timeout), the sandbox
 * reports the first in the order timed out, output exceeded, out of memory.
 */
public sealed interface Ending {
    TimedOut TIMED_OUT = new TimedOut();
    OutputExceeded OUTPUT_EXCEEDED = new OutputExceeded();
    OutOfMemory OUT_OF_MEMORY = new OutOfMemory();
    Cancelled CANCELLED = new Cancelled();

    /**
     * The program exited by itself.
     *
     * @param exitCode as Docker reported it; -1 when its sandbox died with it and Docker forgot it
     */
    record Exited(int exitCode) implements Ending {}

    /** The wall-time limit passed and the sandbox was killed. */
    record TimedOut() implements Ending {}

    /** Stdout or stderr passed the output cap and the sandbox was killed. */
    record OutputExceeded() implements Ending {}

    /** The sandbox's memory cgroup ran out: the host's kernel killed it. */
    record OutOfMemory() implements Ending {}

    /** The run was cancelled, and its sandbox killed or never created. */
    record Cancelled() implements Ending {}
}
