package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.WaitResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a program's exit in its sandbox, and for a sandbox to stop. Its deadlines are its own:
 * the {@code streams} client it waits on has none, its calls staying silent for a whole run.
 */
final class ExitWait {
    private static final Duration CANCEL_POLL = Duration.ofMillis(250);
    /** How often a program that closed its output is asked whether it exited. */
    private static final Duration CLOSED_OUTPUT_POLL = Duration.ofMillis(50);

    private final DockerClient control;
    private final DockerClient streams;

    /**
     * @param control for calls that answer at once
     * @param streams for Docker's wait call, which answers only when the sandbox stops
     */
    ExitWait(DockerClient control, DockerClient streams) {
        this.control = control;
        this.streams = streams;
    }

    /**
     * Waits for the program to exit, up to {@code limit}, asking {@code cancellation} and
     * {@code outOfMemory} every quarter second. Its output stream usually ends the moment it exits;
     * but processes it left behind may hold the stream open for seconds more, and a program may close
     * its output and run on, so the exec's state is asked as well: every quarter second while the
     * stream is open, more often once it has ended.
     *
     * @return how the wait ended: {@link Ending.Exited} with the exit status Docker gave in the state
     *         that showed the exit (-1 when its sandbox died with it and Docker forgot it), or why the
     *         program is to be killed; {@link Ending.OutOfMemory} only as suspected, for the caller to
     *         confirm
     */
    Ending awaitExit(CappedOutput attached, String exec, Duration limit, Cancellation cancellation, BooleanSupplier outOfMemory) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Ending.TIMED_OUT;
                }
                long slice = Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, CANCEL_POLL.toMillis());
                boolean ended = attached.ended(slice);
                if (attached.overflowed()) {
                    return Ending.OUTPUT_EXCEEDED;
                }
                Optional<InspectExecResponse> state = execState(exec);
                if (!state.map(s -> Boolean.TRUE.equals(s.isRunning())).orElse(false)) {
                    Long exitCode = state.map(InspectExecResponse::getExitCodeLong).orElse(null);
                    return new Ending.Exited(exitCode == null ? -1 : exitCode.intValue());
                }
                if (ended) {
                    Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, CLOSED_OUTPUT_POLL.toMillis()));
                }
                if (cancellation.requested()) {
                    return Ending.CANCELLED;
                }
                if (outOfMemory.getAsBoolean()) {
                    return Ending.OUT_OF_MEMORY;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for exec " + exec, e);
        }
    }

    /** The exec's state, or empty when Docker no longer knows it: its sandbox stopped. */
    private Optional<InspectExecResponse> execState(String exec) {
        try {
            return Optional.of(control.inspectExecCmd(exec).exec());
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new SandboxException("Docker failed to inspect exec " + exec + ": " + e.getMessage(), e);
        }
    }

    /**
     * The exec's exit once the output no longer says (it was told to stop, its stream is cut): its exit
     * status as Docker gives it (-1 when Docker forgot it), or {@link Ending#TIMED_OUT} at {@code limit}.
     */
    Ending exitWithin(String exec, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Optional<InspectExecResponse> state = execState(exec);
                if (!state.map(s -> Boolean.TRUE.equals(s.isRunning())).orElse(false)) {
                    Long exitCode = state.map(InspectExecResponse::getExitCodeLong).orElse(null);
                    return new Ending.Exited(exitCode == null ? -1 : exitCode.intValue());
                }
                Thread.sleep(CLOSED_OUTPUT_POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for exec " + exec + " to stop", e);
        }
        return Ending.TIMED_OUT;
    }

    /** Whether the sandbox stops within {@code limit}. */
    boolean stoppedWithin(String id, Duration limit) {
        try (ExitWatch wait = streams.waitContainerCmd(id).exec(new ExitWatch())) {
            return wait.exited(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for " + id, e);
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("cannot wait for " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The answer of Docker's wait call, which comes when the sandbox exits. Its own latch, because
     * docker-java's awaitCompletion closes the stream when it times out: it can be asked only once.
     */
    private static final class ExitWatch extends ResultCallback.Adapter<WaitResponse> {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;

        @Override
        public void onNext(WaitResponse response) {
            done.countDown();
        }

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }

        boolean exited(long millis) throws InterruptedException {
            boolean answered = done.await(millis, TimeUnit.MILLISECONDS);
            if (failure != null) {
                throw new SandboxException("the wait call failed: " + failure, failure);
            }
            return answered;
        }
    }
}
