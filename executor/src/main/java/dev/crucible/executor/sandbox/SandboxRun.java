package dev.crucible.executor.sandbox;

import java.time.Instant;

/**
 * What was observed of one sandboxed run, from outside the sandbox.
 *
 * @param exitCode       as Docker reported it; meaningless when {@code timedOut} or {@code outputExceeded}
 * @param timedOut       the wall-time limit passed and the sandbox was killed
 * @param outputExceeded stdout or stderr passed the output cap and the sandbox was killed
 * @param oomKilled      the sandbox's memory cgroup ran out
 * @param cancelled      the run was cancelled and the sandbox killed
 * @param imageId        the content digest of the image the sandbox ran, as Docker reported it
 */
public record SandboxRun(
        int exitCode,
        boolean timedOut,
        boolean outputExceeded,
        boolean oomKilled,
        boolean cancelled,
        CapturedStream stdout,
        CapturedStream stderr,
        Instant startedAt,
        Instant finishedAt,
        String imageId) {

    /** The first bytes of one output stream, and how many bytes after them were dropped. */
    public record CapturedStream(byte[] kept, long droppedBytes) {}
}
