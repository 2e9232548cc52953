package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each program in a fresh, single-use Docker container under gVisor, reached through the
 * Docker socket proxy.
 *
 * <p>A run takes a started sandbox of its image and memory limit from the {@link SandboxPool} (or,
 * when none waits, creates and starts one itself), renames it after the run, and removes it once the
 * run is observed, off the run's critical path ({@link Remover}): one sandbox serves one run, never
 * more. A few small text files and the stdin go in as arguments of the program's own exec, which
 * writes them inside the sandbox before the program starts ({@link ProgramCommand}); other files go
 * in as a tar copied into the started sandbox before the program's exec ({@link WorkspaceArchive}):
 * nothing has run in it yet, so nothing in it can have been planted for the copy to follow, and the
 * root filesystem stays writable for that copy. (Debian 12's runsc
 * answered {@code statx} with EINVAL, so such a file looked broken inside; 20240729 shows it whole.
 * The program's exec cannot take the files on its stdin: HAProxy 2.6 drops the upgrade of a request
 * that has a body, such as an exec start, so no stdin would pass the proxy.) What keeps the program from growing the host's disk
 * is the daemon's runsc flag {@code --overlay2=root:memory}: inside the sandbox every write to the
 * root filesystem lands in memory, counted against the container's memory limit.
 *
 * <p>The container's own process is a keeper that sleeps; the program runs beside it through
 * {@code docker exec}, as another uid. So the sandbox, and its cgroup on the host, outlive the
 * program by as long as it takes to read what the program used (Docker deletes a container's cgroup
 * the moment its pid 1 exits), and the exit status is the one gVisor reported for the exec, not a
 * value anything inside could write. Reading the cgroup just before the start of the program and
 * just after its end gives its CPU time and peak memory; at a limit it is read just before the kill.
 *
 * <p>Two Docker clients: calls that answer at once get a 30 s idle deadline; the exec's output
 * stream and {@code wait} stay silent for the whole run, so their client has none and this class
 * enforces their deadlines itself.
 */
public final class DockerSandbox implements Sandbox, SessionSandboxes, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerSandbox.class);
    /** Label naming the executor that owns a sandbox. */
    public static final String LABEL = "dev.crucible.sandbox";
    /** Label naming the run a sandbox was created for; {@value #POOL_RUN} for a sandbox made for the pool. */
    public static final String RUN_LABEL = "dev.crucible.run";
    static final String POOL_RUN = "pool";
    /** The {@value #RUN_LABEL} of a session's sandbox. */
    static final String SESSION_RUN = "session";
    /** Names of idle pool sandboxes start so; a run renames the one it takes after itself. */
    public static final String POOL_NAME_PREFIX = "crucible-pool-";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_AFTER_KILL = Duration.ofSeconds(15);
    /** How long the output stream may trail the program's observed exit. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
    /**
     * Pid 1 of every sandbox: it holds the sandbox, and so its cgroup, open after the program exits,
     * so that what the program used can still be read. Its own uid, so the program cannot signal it.
     */
    private static final List<String> KEEPER = List.of("sleep", "infinity");
    /** How long a sandbox whose cgroup is gone may still count as running in Docker. */
    private static final Duration STOP_AFTER_CGROUP = Duration.ofSeconds(2);
    static final int KEEPER_UID = 65533;
    private static final List<String> ENVIRONMENT = List.of(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp", "LANG=C.UTF-8");

    private final DockerClient control;
    private final DockerClient streams;
    private final SandboxPolicy policy;
    private final CgroupMeter meter;
    private final String owner;
    private final ExitWait exitWait;
    private final OutputFileCollector collector;
    private final Remover remover;
    private final SandboxPool pool;
    private final SessionExecs sessionExecs;

    private DockerSandbox(DockerClient control, DockerClient streams, SandboxPolicy policy, CgroupMeter meter, String owner,
                          PoolSettings poolSettings) {
        this.control = control;
        this.streams = streams;
        this.policy = policy;
        this.meter = meter;
        this.owner = owner;
        this.exitWait = new ExitWait(control, streams);
        this.collector = new OutputFileCollector(streams, this::createExec);
        this.remover = new Remover(this::remove);
        this.sessionExecs = new SessionExecs(streams, meter, exitWait, this::createExec);
        this.pool = new SandboxPool(new SandboxPool.Maker() {
            @Override
            public SandboxPool.Idle start(SandboxPool.Key key) {
                String name = POOL_NAME_PREFIX + UUID.randomUUID();
                String id = create(key, name, POOL_RUN);
                try {
                    run("start " + id, () -> control.startContainerCmd(id).exec());
                } catch (SandboxException e) {
                    remove(id);
                    throw e;
                }
                return new SandboxPool.Idle(id, name, System.nanoTime());
            }

            @Override
            public void discard(String id) {
                // An expired sandbox a run skipped is removed off that run's path, like a used one.
                remover.remove(id);
            }
        }, poolSettings, System::nanoTime);
    }

    /**
     * A sandbox that talks to Docker at {@code dockerHost}, e.g. {@code tcp://127.0.0.1:2375}.
     *
     * @param cgroupRoot where the host mounts its cgroups, where each sandbox's usage is read
     * @param owner      the executor's name; its sandboxes carry it as the {@value #LABEL} label
     */
    public static DockerSandbox connect(URI dockerHost, SandboxPolicy policy, Path cgroupRoot, String owner) {
        return connect(dockerHost, policy, cgroupRoot, owner, PoolSettings.OFF);
    }

    /**
     * The same, with a pool of started sandboxes; call {@link #removeLeftovers()} first, then
     * {@link #startPool(Set)}.
     */
    public static DockerSandbox connect(URI dockerHost, SandboxPolicy policy, Path cgroupRoot, String owner, PoolSettings pool) {
        return new DockerSandbox(client(dockerHost, CALL_TIMEOUT), client(dockerHost, null), policy, CgroupMeter.at(cgroupRoot),
                owner, pool);
    }

    /**
     * Starts refilling the pool, beginning with a sandbox or so of each of {@code expected}: the
     * images and memory limits runs are likely to ask for (each runtime's defaults), by image tag.
     */
    public void startPool(Map<String, Set<Long>> expected) {
        Set<SandboxPool.Key> keys = new HashSet<>();
        expected.forEach((image, memories) -> memories.forEach(memory -> keys.add(new SandboxPool.Key(image, memory))));
        pool.expect(keys);
        pool.start();
    }

    /** What the pool did so far, for metrics. */
    public PoolStats poolStats() {
        SandboxPool.Stats stats = pool.stats();
        return new PoolStats(stats.idle(), stats.hits(), stats.misses(), stats.refills(), Duration.ofNanos(stats.refillNanos()),
                remover.pending());
    }

    /**
     * The pool's figures: idle sandboxes now, runs that took one (hits) or started their own (misses),
     * sandboxes started for the pool and the time that took in all, and used sandboxes awaiting removal.
     */
    public record PoolStats(int idle, long hits, long misses, long refills, Duration refillTime, int removalsPending) {}

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
            return new SandboxRun(Ending.CANCELLED, SandboxRun.Output.NONE, now, now, null, SandboxRun.Stages.NONE, null, Map.of());
        }
        long begun = System.nanoTime();
        SandboxPool.Key key = new SandboxPool.Key(spec.image(), spec.limits().memoryBytes());
        Optional<SandboxPool.Idle> pooled = pool.take(key);
        try {
            return run(spec, cancellation, key, pooled, begun);
        } finally {
            pool.runEnded();
        }
    }

    /** Runs {@code spec} in the sandbox taken from the pool, or in one it creates and starts when none was. */
    private SandboxRun run(SandboxSpec spec, Cancellation cancellation, SandboxPool.Key key, Optional<SandboxPool.Idle> pooled,
                           long begun) {
        String id = pooled.map(SandboxPool.Idle::id).orElseGet(() -> create(key, name(spec), spec.runId()));
        Observed observed;
        try {
            if (pooled.isPresent()) {
                // The proxy lets execs into crucible-* only; the run's name also tells it apart from the idle ones.
                run("rename " + id, () -> control.renameContainerCmd(pooled.get().name()).withName(name(spec)).exec());
            }
            long created = System.nanoTime();
            if (pooled.isEmpty()) {
                run("start " + id, () -> control.startContainerCmd(id).exec());
            }
            observed = runIn(id, spec, cancellation, begun, created, pooled.isPresent());
        } finally {
            remover.remove(id);
        }
        return observed.run().withTeardown(Duration.ofNanos(System.nanoTime() - observed.exitedAt()));
    }

    /** A run whose sandbox still exists, and when its exit was seen: its teardown is measured from there. */
    private record Observed(SandboxRun run, long exitedAt) {}

    /**
     * Runs the program in the started sandbox {@code id} to its exit, and measures create (from
     * {@code begun} to {@code created}: taking or creating the sandbox), start (to the program's
     * exec) and run; teardown is left zero for the caller, who measures it once the run is observed.
     */
    private Observed runIn(String id, SandboxSpec spec, Cancellation cancellation, long begun, long created, boolean pooled) {
        Optional<List<String>> inline = ProgramCommand.withFilesInline(spec);
        List<String> command = inline.orElseGet(() -> ProgramCommand.afterCopy(spec));
        // Neither needs the files: made beside the copy, they are off the critical path. An exec only
        // created runs nothing, and the container's image never changes.
        CompletableFuture<String> execCreated = beside(() -> createExec(name(spec), command));
        CompletableFuture<InspectContainerResponse> described = beside(() -> call("inspect " + id,
                () -> control.inspectContainerCmd(id).exec()));
        if (inline.isEmpty()) {
            call("copy files into " + id, () -> control.copyArchiveToContainerCmd(id)
                    .withTarInputStream(new ByteArrayInputStream(WorkspaceArchive.build(spec)))
                    .withRemotePath("/")
                    .withCopyUIDGID(false)
                    .exec());
        }
        CgroupMeter.Usage atRest = meter.read(id);
        String exec = joined(execCreated);
        AtomicReference<CgroupMeter.Usage> atKill = new AtomicReference<>();
        CappedOutput output = new CappedOutput(spec.limits().stdoutBytes(), spec.limits().stderrBytes(), () -> killMeasured(id, atKill),
                spec.output().live());
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        // The stream has ended by the time the program is seen to exit; after a kill Docker leaves it
        // open, and closing it here is all there is to do.
        try (CappedOutput attached = streams.execStartCmd(exec).withDetach(false).withTty(false).exec(output)) {
            Ending waited = exitWait.awaitExit(attached, exec, spec.limits().wallTime(), cancellation, () -> outOfMemory(id, atRest));
            boolean exitedByItself = waited instanceof Ending.Exited;
            if (!exitedByItself) {
                killMeasured(id, atKill);
            }
            long exited = System.nanoTime();
            Instant finishedAt = Instant.now();
            CgroupMeter.Usage atExit = atKill.get() != null ? atKill.get() : readIfRunning(id);
            // The exec can be seen exited while its last bytes are still on their way through Docker
            // and the proxy (a compile's megabytes of tar, under load): they are waited for, past the
            // measured exit. A stream that processes left behind hold open is not waited for longer.
            if (exitedByItself && !drained(attached)) {
                log.debug("the output of {} stayed open {} after its exit: processes it left hold it", id, OUTPUT_DRAIN);
            }
            if (!exitedByItself && !exitWait.stoppedWithin(id, EXIT_AFTER_KILL)) {
                throw new SandboxException("sandbox " + id + " did not stop within " + EXIT_AFTER_KILL + " of SIGKILL", null);
            }
            InspectContainerResponse inspected = joined(described);
            // With no cgroup left to read, only Docker can still tell whether the kernel killed it for memory.
            boolean oomKilled = atExit == null
                    ? Boolean.TRUE.equals(call("inspect " + id, () -> control.inspectContainerCmd(id).exec()).getState().getOOMKilled())
                    : atExit.oomKills() > atRest.oomKills();
            if (waited instanceof Ending.Exited(int status) && status == -1 && atExit == null && !oomKilled) {
                // Docker forgot the exec and the sandbox is gone, with no memory kill: Docker restarted under the
                // run (it stops every sandbox and forgets every exec), or the sandbox died. The program's own
                // result is unknown: a machinery failure, which the job runs again for, not the program's error.
                throw new SandboxException("sandbox " + id + " stopped under the program without an out-of-memory kill"
                        + " (Docker restarted, or the sandbox died): the program's result is unknown", null);
            }
            SandboxRun.Usage usage = atExit != null
                    ? new SandboxRun.Usage(Duration.ofNanos(atExit.cpuNanos() - atRest.cpuNanos()),
                            Math.max(0, atExit.peakMemoryBytes() - atRest.memoryBytes()))
                    : oomKilled ? new SandboxRun.Usage(null, Math.max(0, spec.limits().memoryBytes() - atRest.memoryBytes())) : null;
            Map<String, byte[]> outputFiles = !exitedByItself || oomKilled ? Map.of() : switch (spec.output().collect()) {
                case SandboxSpec.Collect.Files f when f.paths().isEmpty() -> Map.of();
                case SandboxSpec.Collect.Files f -> collector.collect(id, name(spec), f.paths());
                case SandboxSpec.Collect.Matching m when m.patterns().isEmpty() -> Map.of();
                case SandboxSpec.Collect.Matching m -> collector.collectMatching(id, name(spec), m.patterns());
            };
            SandboxRun.Stages stages = SandboxRun.Stages.of(Duration.ofNanos(created - begun),
                    Duration.ofNanos(started - created), Duration.ofNanos(exited - started), Duration.ZERO, pooled);
            Ending ending = ending(waited, output.overflowed(), oomKilled);
            return new Observed(new SandboxRun(ending, RuntimeMessages.programOnly(output.captured(), ending, id),
                    startedAt, finishedAt, SandboxImage.of(inspected.getImageId(), inspected.getConfig().getLabels()), stages, usage,
                    outputFiles), exited);
        } catch (IOException e) {
            throw new SandboxException("cannot close the output stream of " + id, e);
        }
    }

    @Override
    public Held start(String image, long memoryBytes, String name) {
        SandboxPool.Key key = new SandboxPool.Key(image, memoryBytes);
        Optional<SandboxPool.Idle> pooled = pool.take(key);
        // A session's sandbox is no run in progress: the pool may refill behind it at once.
        pool.runEnded();
        String id = pooled.map(SandboxPool.Idle::id).orElseGet(() -> create(key, name, SESSION_RUN));
        try {
            if (pooled.isPresent()) {
                run("rename " + id, () -> control.renameContainerCmd(pooled.get().name()).withName(name).exec());
            } else {
                run("start " + id, () -> control.startContainerCmd(id).exec());
            }
        } catch (SandboxException e) {
            remover.remove(id);
            throw e;
        }
        return new Held(id, name);
    }

    @Override
    public SandboxRun exec(Held sandbox, Exec exec) {
        return sessionExecs.exec(sandbox, exec);
    }

    @Override
    public boolean alive(Held sandbox) {
        return sessionExecs.alive(sandbox);
    }

    @Override
    public void remove(Held sandbox) {
        remover.remove(sandbox.id());
    }

    /** Whether the output stream ends within {@link #OUTPUT_DRAIN}. */
    private static boolean drained(CappedOutput attached) {
        try {
            return attached.ended(OUTPUT_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while reading the end of a program's output", e);
        }
    }

    /**
     * What ended the run, first cause first: the executor stopping it for time or cancellation, then
     * the output cap, then memory, else the program's own exit ({@code waited} may have stopped it on
     * a suspicion of memory that the cgroup did not confirm: then no exit status is known).
     */
    static Ending ending(Ending waited, boolean overflowed, boolean oomKilled) {
        return switch (waited) {
            case Ending.TimedOut timedOut -> timedOut;
            case Ending.Cancelled cancelled -> cancelled;
            case Ending.Exited _, Ending.OutputExceeded _, Ending.OutOfMemory _ -> overflowed ? Ending.OUTPUT_EXCEEDED
                    : oomKilled ? Ending.OUT_OF_MEMORY
                    : waited instanceof Ending.Exited exited ? exited : new Ending.Exited(-1);
        };
    }

    /** The sandbox's container name; execs address it by name, the only containers the proxy lets them into. */
    private static String name(SandboxSpec spec) {
        return "crucible-" + spec.runId();
    }

    /** Creates an exec of {@code command} in the sandbox {@code container}, as the program's uid, with the sandbox's environment; returns its id. */
    private String createExec(String container, List<String> command) {
        return call("create an exec in " + container, () -> control.execCreateCmd(container)
                .withUser(WorkspaceArchive.SANDBOX_UID + ":" + WorkspaceArchive.SANDBOX_UID)
                .withWorkingDir("/" + WorkspaceArchive.WORKSPACE)
                .withEnv(ENVIRONMENT)
                .withCmd(command.toArray(String[]::new))
                .withAttachStdin(false)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withTty(false)
                .withPrivileged(false)
                .exec()
                .getId());
    }

    /**
     * Whether the kernel killed a process of the sandbox for memory since {@code atRest}. Under gVisor
     * the program may then hang instead of exiting, so the run ends here.
     */
    private boolean outOfMemory(String id, CgroupMeter.Usage atRest) {
        CgroupMeter.Usage now = readIfRunning(id);
        return now == null || now.oomKills() > atRest.oomKills();
    }

    /**
     * Reads the sandbox's usage, or null when it is gone: the host killed it (out of memory). Its
     * cgroup may vanish a moment before Docker sees it stop, hence the short wait.
     */
    private CgroupMeter.Usage readIfRunning(String id) {
        try {
            return meter.read(id);
        } catch (SandboxException gone) {
            if (!exitWait.stoppedWithin(id, STOP_AFTER_CGROUP)) {
                throw gone;
            }
            return null;
        }
    }

    /** Kills the sandbox at a limit, reading its usage first: once it is dead its cgroup is gone. */
    private void killMeasured(String id, AtomicReference<CgroupMeter.Usage> atKill) {
        synchronized (atKill) {
            if (atKill.get() == null) {
                try {
                    atKill.set(meter.read(id));
                } catch (SandboxException gone) {
                    log.debug("sandbox {} was gone before its kill: {}", id, gone.getMessage());
                }
            }
        }
        kill(id);
    }

    /** Creates (does not start) a sandbox of {@code key} named {@code name}, labelled with {@code runLabel}. */
    private String create(SandboxPool.Key key, String name, String runLabel) {
        HostConfig host = HostConfig.newHostConfig()
                .withRuntime(policy.runtime())
                .withNetworkMode("none")
                .withMemory(key.memoryBytes())
                .withMemorySwap(key.memoryBytes())
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
                // Output is read live from the exec; nothing is stored on the host's disk.
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE, Map.of()))
                .withAutoRemove(false)
                .withPrivileged(false);
        try {
            return control.createContainerCmd(key.image())
                    .withName(name)
                    .withLabels(Map.of(LABEL, owner, RUN_LABEL, runLabel))
                    .withHostName("sandbox")
                    .withUser(KEEPER_UID + ":" + KEEPER_UID)
                    .withWorkingDir("/" + WorkspaceArchive.WORKSPACE)
                    .withEnv(ENVIRONMENT)
                    .withCmd(KEEPER)
                    .withEntrypoint(List.of())
                    .withNetworkDisabled(true)
                    .withTty(false)
                    .withStdinOpen(false)
                    .withAttachStdout(false)
                    .withAttachStderr(false)
                    .withHostConfig(host)
                    .exec()
                    .getId();
        } catch (NotFoundException e) {
            throw new SandboxException("runtime image " + key.image() + " is missing; ./crucible up builds it", e);
        } catch (RuntimeException e) {
            // The answer may be what was lost (dockerd killed under the call): the sandbox may exist with no id
            // known here. Its name is its own (a run's name is new for each attempt), so it is removed by name,
            // later, as a failed removal is; one that was never made is not found, which is the wanted state.
            remover.retryLater(name);
            throw new SandboxException("cannot create sandbox " + name + ": " + e, e);
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
            // Mostly Docker or its proxy down: nothing else would remove it while this executor runs
            // (a dockerd restart stops such containers but keeps them).
            remover.retryLater(id);
            log.error("cannot remove sandbox {} (tried again later): {}", id, e.toString());
        }
    }

    /**
     * This executor's sandboxes that served or serve a run, running or not, but the idle ones of the
     * pool: leftovers when no job is in flight and the removals are done.
     */
    public List<String> existingSandboxes() {
        return sandboxes().stream().filter(c -> !Arrays.stream(c.getNames()).allMatch(n -> n.startsWith("/" + POOL_NAME_PREFIX)))
                .map(Container::getId).toList();
    }

    private List<Container> sandboxes() {
        return call("list sandboxes", () -> control.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, owner)).exec());
    }

    /**
     * After an outage of Docker: removes the sandboxes whose removal failed during it, and the pool's
     * idle ones, which it may have killed (the pool refills).
     */
    public void recoverFromOutage() {
        remover.retryNow();
        pool.discardIdle();
    }

    /** One round trip to Docker through the proxy; a {@link SandboxException} when it does not answer. */
    public void ping() {
        run("ping", () -> control.pingCmd().exec());
    }

    /** Removes what an earlier run of this executor left behind, idle pool sandboxes too; call before taking jobs. */
    public int removeLeftovers() {
        List<String> leftovers = sandboxes().stream().map(Container::getId).toList();
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

    /** Starts {@code action} on a virtual thread of its own, for a call that need not wait for the one before. */
    private static <T> CompletableFuture<T> beside(Supplier<T> action) {
        return CompletableFuture.supplyAsync(action, task -> Thread.ofVirtual().name("sandbox-call").start(task));
    }

    /** What {@link #beside} gave: its result, or the very exception it threw. */
    private static <T> T joined(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** Empties the pool and finishes the removals queued, then closes the clients. */
    @Override
    public void close() throws IOException {
        try {
            pool.close();
            remover.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.close();
            control.close();
        }
    }
}
