package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Collects a sandbox's stdout and stderr from an attach stream, keeping the first bytes of each, up
 * to its cap, and counting the rest. The first time a stream passes its cap, {@code onOverflow} runs once
 * (the sandbox is then killed: a program flooding output gains nothing by running on).
 */
final class CappedOutput extends ResultCallback.Adapter<Frame> {
    private final Runnable onOverflow;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Capture stdout;
    private final Capture stderr;

    CappedOutput(long stdoutCap, long stderrCap, Runnable onOverflow) {
        this.stdout = new Capture(stdoutCap);
        this.stderr = new Capture(stderrCap);
        this.onOverflow = onOverflow;
    }

    private static final class Capture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final long cap;
        private long dropped;

        Capture(long cap) {
            this.cap = cap;
        }

        // The frame's payload array is reused by docker-java for the next read: copy now.
        synchronized void add(byte[] payload) {
            int room = (int) Math.max(0, Math.min(cap - kept.size(), payload.length));
            kept.write(payload, 0, room);
            dropped += payload.length - room;
        }

        synchronized SandboxRun.CapturedStream snapshot() {
            return new SandboxRun.CapturedStream(kept.toByteArray(), dropped);
        }

        synchronized boolean over() {
            return dropped > 0;
        }
    }

    @Override
    public void onNext(Frame frame) {
        Capture target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
        target.add(frame.getPayload());
        if (target.over() && overflowed.compareAndSet(false, true)) {
            Thread.ofVirtual().name("overflow-kill").start(onOverflow);
        }
    }

    boolean overflowed() {
        return overflowed.get();
    }

    SandboxRun.CapturedStream stdout() {
        return stdout.snapshot();
    }

    SandboxRun.CapturedStream stderr() {
        return stderr.snapshot();
    }
}
