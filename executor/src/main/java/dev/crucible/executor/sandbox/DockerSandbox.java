package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each program in a fresh, single-use Docker container under gVisor, reached through the
 * Docker socket proxy.
 *
 * <p>Files go in by copying a tar into the created container before it starts (the root filesystem
 * cannot be read-only for that copy). What keeps the program from growing the host's disk is the
 * daemon's runsc flag {@code --overlay}: inside the sandbox every write to the root filesystem lands
 * in memory, counted against the container's memory limit.
 *
 * <p>Two Docker clients: calls that answer at once get a 30 s idle deadline; {@code attach} and
 * {@code wait} stay silent for the whole run, so their client has none and this class enforces their
 * deadlines itself.
 */
public final class DockerSandbox implements Sandbox, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerSandbox.class);
    /** Label naming the executor that owns a sandbox. */
    public static final String LABEL = "dev.crucible.sandbox";
    /** Label naming the run a sandbox belongs to. */
    public static final String RUN_LABEL = "dev.crucible.run";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_AFTER_KILL = Duration.ofSeconds(15);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);
    private static final Duration CANCEL_POLL = Duration.ofMillis(250);
    private static final List<String> ENVIRONMENT = List.of(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp", "LANG=C.UTF-8");

    private final DockerClient control;
    private final DockerClient streams;
    private final SandboxPolicy policy;
    private final String owner;

    private DockerSandbox(DockerClient control, DockerClient streams, SandboxPolicy policy, String owner) {
        this.control = control;
        this.streams = streams;
        this.policy = policy;
        this.owner = owner;
    }

    /**
     * A sandbox that talks to Docker at {@code dockerHost}, e.g. {@code tcp://127.0.0.1:2375}.
     *
     * @param owner the executor's name; its sandboxes carry it as the {@value #LABEL} label
     */
    public static DockerSandbox connect(URI dockerHost, SandboxPolicy policy, String owner) {
        return new DockerSandbox(client(dockerHost, CALL_TIMEOUT), client(dockerHost, null), policy, owner);
    }

    private static DockerClient client(URI dockerHost, Duration responseTimeout) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString())
                .withDockerTlsVerify(false)
                // Debian 12's Docker 20.10 speaks API 1.41 at most.
                .withApiVersion(RemoteApiVersion.VERSION_1_41)
                .build();
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    @Override
    public SandboxRun run(SandboxSpec spec, Cancellation cancellation) {
        if (cancellation.requested()) {
            Instant now = Instant.now();
            SandboxRun.CapturedStream nothing = new SandboxRun.CapturedStream(new byte[0], 0);
            return new SandboxRun(-1, false, false, false, true, nothing, nothing, now, now, null, SandboxRun.Stages.NONE);
        }
        long begun = System.nanoTime();
        String id = create(spec);
        Observed observed;
        try {
            observed = copyStartAndWatch(id, spec, cancellation, begun);
        } finally {
            remove(id);
        }
        return observed.run().withTeardown(Duration.ofNanos(System.nanoTime() - observed.exitedAt()));
    }

    /** A run whose sandbox still exists, and when its exit was seen: its teardown is measured from there. */
    private record Observed(SandboxRun run, long exitedAt) {}

    /**
     * Runs the created sandbox {@code id} to its exit, measuring create (from {@code begun}), start and
     * run; teardown is left zero for the caller, who measures it once the sandbox is removed.
     */
    private Observed copyStartAndWatch(String id, SandboxSpec spec, Cancellation cancellation, long begun) {
        call("copy files into " + id, () -> control.copyArchiveToContainerCmd(id)
                .withTarInputStream(new ByteArrayInputStream(WorkspaceArchive.build(spec)))
                .withRemotePath("/")
                .withCopyUIDGID(false)
                .exec());
        long created = System.nanoTime();
        CappedOutput output = new CappedOutput(spec.stdoutBytes(), spec.stderrBytes(), () -> kill(id));
        try (CappedOutput attached = streams.attachContainerCmd(id)
                .withStdOut(true).withStdErr(true).withFollowStream(true).withLogs(false)
                .exec(output)) {
            awaitStarted(attached, id);
            run("start " + id, () -> control.startContainerCmd(id).exec());
            long started = System.nanoTime();
            Exit exit = awaitExit(id, spec.wallTime(), cancellation);
            boolean timedOut = exit == Exit.TIMED_OUT;
            if (exit != Exit.EXITED) {
                kill(id);
                if (awaitExit(id, EXIT_AFTER_KILL, Cancellation.NEVER) != Exit.EXITED) {
                    throw new SandboxException("sandbox " + id + " did not stop within " + EXIT_AFTER_KILL + " of SIGKILL", null);
                }
            }
            long exited = System.nanoTime();
            awaitDrained(attached);
            InspectContainerResponse inspected = call("inspect " + id, () -> control.inspectContainerCmd(id).exec());
            InspectContainerResponse.ContainerState state = inspected.getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                throw new SandboxException("the wait for " + id + " ended but the sandbox still runs", null);
            }
            SandboxRun.Stages stages = new SandboxRun.Stages(Duration.ofNanos(created - begun),
                    Duration.ofNanos(started - created), Duration.ofNanos(exited - started), Duration.ZERO);
            return new Observed(new SandboxRun(
                    state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue(),
                    timedOut,
                    output.overflowed(),
                    Boolean.TRUE.equals(state.getOOMKilled()),
                    exit == Exit.CANCELLED,
                    output.stdout(),
                    output.stderr(),
                    Instant.parse(state.getStartedAt()),
                    Instant.parse(state.getFinishedAt()),
                    inspected.getImageId(),
                    stages), exited);
        } catch (IOException e) {
            throw new SandboxException("cannot close the output stream of " + id, e);
        }
    }

    private String create(SandboxSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withRuntime(policy.runtime())
                .withNetworkMode("none")
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withPidsLimit(policy.hostPidsLimit())
                .withNanoCPUs(policy.nanoCpus())
                .withReadonlyRootfs(false)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + policy.tmpBytes()))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withUlimits(List.of(
                        new Ulimit("nproc", policy.processLimit(), policy.processLimit()),
                        new Ulimit("nofile", policy.openFiles(), policy.openFiles()),
                        new Ulimit("fsize", policy.fileSizeBytes(), policy.fileSizeBytes())))
                // Output is read live through attach; nothing is stored on the host's disk.
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE, Map.of()))
                .withAutoRemove(false)
                .withPrivileged(false);
        String redirect = "exec \"$@\" < " + WorkspaceArchive.STDIN_PATH + (spec.mergeStderr() ? " 2>&1" : "");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", redirect, "sandbox"));
        command.addAll(spec.command());
        try {
            return control.createContainerCmd(spec.image())
                    .withName("crucible-" + spec.runId())
                    .withLabels(Map.of(LABEL, owner, RUN_LABEL, spec.runId()))
                    .withHostName("sandbox")
                    .withUser(WorkspaceArchive.SANDBOX_UID + ":" + WorkspaceArchive.SANDBOX_UID)
                    .withWorkingDir("/" + WorkspaceArchive.WORKSPACE)
                    .withEnv(ENVIRONMENT)
                    .withCmd(command)
                    .withEntrypoint(List.of())
                    .withNetworkDisabled(true)
                    .withTty(false)
                    .withStdinOpen(false)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withHostConfig(host)
                    .exec()
                    .getId();
        } catch (NotFoundException e) {
            throw new SandboxException("runtime image " + spec.image() + " is missing; ./crucible up builds it", e);
        } catch (RuntimeException e) {
            throw new SandboxException("cannot create the sandbox of run " + spec.runId() + ": " + e, e);
        }
    }

    private void awaitStarted(ResultCallback.Adapter<?> attach, String id) {
        try {
            if (!attach.awaitStarted(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SandboxException("attaching to " + id + " took longer than " + CALL_TIMEOUT, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while attaching to " + id, e);
        }
    }

    private enum Exit { EXITED, TIMED_OUT, CANCELLED }

    /** Waits for the sandbox to exit, up to {@code limit}, asking {@code cancellation} every quarter second. */
    private Exit awaitExit(String id, Duration limit, Cancellation cancellation) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (ExitWatch wait = streams.waitContainerCmd(id).exec(new ExitWatch())) {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Exit.TIMED_OUT;
                }
                if (wait.exited(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, CANCEL_POLL.toMillis()))) {
                    return Exit.EXITED;
                }
                if (cancellation.requested()) {
                    return Exit.CANCELLED;
                }
            }
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

    private void awaitDrained(ResultCallback.Adapter<?> attach) {
        try {
            attach.awaitCompletion(OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while reading output", e);
        }
    }

    private void kill(String id) {
        try {
            control.killContainerCmd(id).withSignal("KILL").exec();
        } catch (NotFoundException | ConflictException alreadyStopped) {
            // It exited on its own between the deadline and the kill: nothing to do.
        } catch (RuntimeException e) {
            log.error("cannot kill sandbox {}: {}", id, e.toString());
        }
    }

    private void remove(String id) {
        try {
            control.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            // Removed already; that is the wanted state.
        } catch (RuntimeException e) {
            // The executor's start-up sweep removes labelled leftovers; say so loudly meanwhile.
            log.error("cannot remove sandbox {}: {}", id, e.toString());
        }
    }

    /** This executor's sandboxes that exist now, running or not: leftovers when no job is in flight. */
    public List<String> existingSandboxes() {
        return call("list sandboxes", () -> control.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, owner)).exec().stream().map(c -> c.getId()).toList());
    }

    /** Removes what an earlier run of this executor left behind when it crashed; call before taking jobs. */
    public int removeLeftovers() {
        List<String> leftovers = existingSandboxes();
        leftovers.forEach(this::remove);
        return leftovers.size();
    }

    private interface DockerCall<T> {
        T run();
    }

    private static <T> T call(String what, DockerCall<T> action) {
        try {
            return action.run();
        } catch (RuntimeException e) {
            throw new SandboxException("Docker failed to " + what + ": " + e.getMessage(), e);
        }
    }

    private static void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        streams.close();
        control.close();
    }
}
