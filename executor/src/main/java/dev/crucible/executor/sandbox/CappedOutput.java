package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Collects a program's stdout and stderr from its exec stream, keeping the first bytes of each, up
 * to its cap, and counting the rest. The first time a stream passes its cap, {@code onOverflow} runs once
 * (the sandbox is then killed: a program flooding output gains nothing by running on). Every frame is
 * shown to a tap as well, for live output.
 */
final class CappedOutput extends ResultCallback.Adapter<Frame> {
    private final Runnable onOverflow;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Capture stdout;
    private final Capture stderr;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final OutputTap tap;

    CappedOutput(long stdoutCap, long stderrCap, Runnable onOverflow, OutputTap tap) {
        this.stdout = new Capture(stdoutCap);
        this.stderr = new Capture(stderrCap);
        this.onOverflow = onOverflow;
        this.tap = tap;
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
        boolean isStderr = frame.getStreamType() == StreamType.STDERR;
        Capture target = isStderr ? stderr : stdout;
        target.add(frame.getPayload());
        tap.take(isStderr ? OutputTap.Stream.STDERR : OutputTap.Stream.STDOUT, frame.getPayload());
        if (target.over() && overflowed.compareAndSet(false, true)) {
            ended.countDown();
            Thread.ofVirtual().name("overflow-kill").start(onOverflow);
        }
    }

    @Override
    public void onComplete() {
        ended.countDown();
        super.onComplete();
    }

    /** A broken stream ends the output as well; whether the program exited is for the exec's state to say. */
    @Override
    public void onError(Throwable throwable) {
        ended.countDown();
        super.onError(throwable);
    }

    /**
     * Whether the stream ended, or passed its cap, within {@code millis}. Unlike {@code awaitCompletion}, which closes the
     * stream when it gives up, this can be asked again.
     */
    boolean ended(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean overflowed() {
        return overflowed.get();
    }

    SandboxRun.CapturedStream stdout() {
        return stdout.snapshot();
    }

    /** Both streams, as kept so far. */
    SandboxRun.Output captured() {
        return new SandboxRun.Output(stdout.snapshot(), stderr.snapshot());
    }
}
