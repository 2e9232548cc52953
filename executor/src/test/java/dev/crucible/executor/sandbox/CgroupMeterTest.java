package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meter's reading of both cgroup layouts, on files laid out as the kernel shows them. */
class CgroupMeterTest {
    private static final String ID = "a".repeat(64);

    @TempDir
    Path root;

    @Test
    void readsCgroupV2UnderTheSystemdDriversScope() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        Path group = Files.createDirectories(root.resolve("system.slice/docker-" + ID + ".scope"));
        Files.writeString(group.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        Files.writeString(group.resolve("memory.current"), "4096\n");
        Files.writeString(group.resolve("memory.peak"), "8192\n");
        Files.writeString(group.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        assertEquals(new CgroupMeter.Usage(1_500_000, 4096, 8192, 1), CgroupMeter.at(root).read(ID));
    }

    @Test
    void readsCgroupV1UnderTheCgroupfsDriversParent() throws Exception {
        Path memory = Files.createDirectories(root.resolve("memory/docker/" + ID));
        Path cpu = Files.createDirectories(root.resolve("cpuacct/docker/" + ID));
        Files.writeString(cpu.resolve("cpuacct.usage"), "123456789\n");
        Files.writeString(memory.resolve("memory.usage_in_bytes"), "1000\n");
        Files.writeString(memory.resolve("memory.max_usage_in_bytes"), "2000\n");
        Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        assertEquals(new CgroupMeter.Usage(123456789, 1000, 2000, 0), CgroupMeter.at(root).read(ID));
    }

    @Test
    void aStoppedSandboxsCgroupIsAnError() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n");
        assertThrows(SandboxException.class, () -> CgroupMeter.at(root).read(ID));
    }

    @Test
    void refusesAnythingButAFullContainerId() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n");
        assertThrows(IllegalArgumentException.class, () -> CgroupMeter.at(root).read("../../etc"));
    }

    @Test
    void noHierarchyIsAnErrorNamingTheSetting() {
        var e = assertThrows(SandboxException.class, () -> CgroupMeter.at(root));
        assertEquals(true, e.getMessage().contains("CRUCIBLE_CGROUP_ROOT"));
    }
}
