package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceArchiveTest {
    private static SandboxSpec spec(String... paths) {
        return SandboxSpec.program("run-1", "image", List.of("true"),
                java.util.Arrays.stream(paths).map(p -> new SandboxSpec.SandboxFile(p, p.getBytes())).toList(),
                "input".getBytes(), SandboxSpec.Limits.of(Duration.ofSeconds(1), 64L << 20, 1024));
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws Exception {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    @Test
    void filesLandUnderTheWorkspaceOwnedByTheSandboxUser() throws Exception {
        var entries = entries(WorkspaceArchive.build(spec("main.py", "lib/util.py")));
        assertEquals(65534L, entries.get("workspace/main.py").getLongUserId());
        assertEquals(65534L, entries.get("workspace/lib/").getLongUserId());
        assertEquals(0644, entries.get("workspace/lib/util.py").getMode() & 07777);
    }

    @Test
    void stdinIsReadOnlyAndOwnedByRoot() throws Exception {
        TarArchiveEntry stdin = entries(WorkspaceArchive.build(spec("main.py"))).get("io/stdin");
        assertEquals(0, stdin.getLongUserId());
        assertEquals(0444, stdin.getMode() & 07777);
        assertEquals(5, stdin.getSize());
    }

    @Test
    void contentIsCopiedExactly() throws Exception {
        byte[] tar = WorkspaceArchive.build(spec("main.py"));
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            in.getNextEntry();
            assertArrayEquals("main.py".getBytes(), in.readAllBytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "/etc/passwd", "a/../../b", "a//b", "./a", "a\\b"})
    void refusesPathsOutsideTheWorkspace(String path) {
        assertThrows(IllegalArgumentException.class, () -> WorkspaceArchive.build(spec(path)));
    }

    private static SandboxSpec withFiles(SandboxSpec.SandboxFile... files) {
        return SandboxSpec.program("run-1", "image", List.of("true"), List.of(files), new byte[0],
                SandboxSpec.Limits.of(Duration.ofSeconds(1), 64L << 20, 1024));
    }

    @Test
    void anInwardLinkLandsAsALink() throws Exception {
        TarArchiveEntry link = entries(WorkspaceArchive.build(withFiles(new SandboxSpec.SandboxFile("vendor/lib.py", new byte[0]),
                SandboxSpec.SandboxFile.link("lib", "vendor")))).get("workspace/lib");
        assertTrue(link.isSymbolicLink());
        assertEquals("vendor", link.getLinkName());
        assertEquals(65534L, link.getLongUserId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "/etc", "a/../..", ""})
    void refusesLinksThatCouldLeadOut(String target) {
        assertThrows(IllegalArgumentException.class, () -> WorkspaceArchive.build(withFiles(SandboxSpec.SandboxFile.link("l", target))));
    }

    @Test
    void refusesFilesBelowALink() {
        assertThrows(IllegalArgumentException.class, () -> WorkspaceArchive.build(withFiles(SandboxSpec.SandboxFile.link("l", "d"),
                new SandboxSpec.SandboxFile("l/x", new byte[0]))));
    }
}
