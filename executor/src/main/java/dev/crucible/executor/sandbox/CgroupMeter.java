package dev.crucible.executor.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a sandbox's CPU time and memory from the host's cgroup files, which nothing inside the
 * sandbox can reach or forge: under gVisor every process of the sandbox is served by the sentry, and
 * the sentry, its gofer and all the memory they map are charged to the container's cgroup.
 *
 * <p>The cgroup of a container exists only while the container runs, which is why the sandbox is
 * held open by a keeper process and the program runs beside it (see {@link DockerSandbox}).
 *
 * <p>Both cgroup versions, with Docker's {@code cgroupfs} driver ({@code docker/<id>}) or its
 * {@code systemd} driver ({@code system.slice/docker-<id>.scope}). The paths are made from the
 * container id Docker returned at create, checked to be 64 hex digits, never from anything the
 * sandbox said.
 */
final class CgroupMeter {
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");

    /** How each cgroup version names the three figures. */
    private enum Layout {
        V1 {
            @Override
            Usage read(Path root, String id) throws IOException {
                Path memory = directory(root.resolve("memory"), id);
                return new Usage(number(directory(root.resolve("cpuacct"), id).resolve("cpuacct.usage")),
                        number(memory.resolve("memory.usage_in_bytes")), number(memory.resolve("memory.max_usage_in_bytes")),
                        field(memory.resolve("memory.oom_control"), "oom_kill"));
            }
        },
        V2 {
            @Override
            Usage read(Path root, String id) throws IOException {
                Path group = directory(root, id);
                return new Usage(field(group.resolve("cpu.stat"), "usage_usec") * 1000,
                        number(group.resolve("memory.current")), number(group.resolve("memory.peak")),
                        field(group.resolve("memory.events"), "oom_kill"));
            }
        };

        abstract Usage read(Path root, String id) throws IOException;
    }

    private final Path root;
    private final Layout layout;

    private CgroupMeter(Path root, Layout layout) {
        this.root = root;
        this.layout = layout;
    }

    /**
     * A meter for the cgroup hierarchy mounted at {@code root}, usually {@code /sys/fs/cgroup}.
     *
     * @throws SandboxException when no cgroup hierarchy is mounted there
     */
    static CgroupMeter at(Path root) {
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            return new CgroupMeter(root, Layout.V2);
        }
        if (Files.isDirectory(root.resolve("memory")) && Files.isDirectory(root.resolve("cpuacct"))) {
            return new CgroupMeter(root, Layout.V1);
        }
        throw new SandboxException("no cgroup hierarchy at " + root + ": neither cgroup.controllers (v2) nor memory/ and"
                + " cpuacct/ (v1); CRUCIBLE_CGROUP_ROOT must name where the host mounts its cgroups", null);
    }

    /**
     * The container's usage since it was created.
     *
     * @throws SandboxException when the container's cgroup is gone (it stopped) or cannot be read
     */
    Usage read(String containerId) {
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("not a full container id: " + containerId);
        }
        try {
            return layout.read(root, containerId);
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("cannot read the cgroup of sandbox " + containerId + " under " + root + " ("
                    + layout + "): " + e, e);
        }
    }

    /**
     * A sandbox's usage.
     *
     * @param cpuNanos        CPU time of all its processes and of gVisor serving them, user and system
     * @param memoryBytes     memory charged to it now
     * @param peakMemoryBytes the most memory charged to it at any moment since it was created
     * @param oomKills        how often the kernel killed one of its processes for want of memory: under
     *                        gVisor that is usually a host process of the program, while the sandbox lives on
     */
    record Usage(long cpuNanos, long memoryBytes, long peakMemoryBytes, long oomKills) {}

    private static Path directory(Path hierarchy, String id) throws IOException {
        for (Path candidate : List.of(hierarchy.resolve("docker").resolve(id),
                hierarchy.resolve("system.slice").resolve("docker-" + id + ".scope"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IOException("no cgroup named " + id + " under " + hierarchy + " (docker/ or system.slice/)");
    }

    private static long number(Path file) throws IOException {
        return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    /** The value of a "name value" line, as in cpu.stat, memory.events and memory.oom_control. */
    private static long field(Path file, String name) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).strip());
            }
        }
        throw new IOException(file + " has no " + name + " line");
    }
}
