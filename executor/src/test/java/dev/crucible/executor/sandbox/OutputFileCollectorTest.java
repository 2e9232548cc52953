package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's listing script, run by this machine's /bin/sh in a folder laid out as a program
 * could leave its workspace (only the listing: the collector's kill of every process of its uid
 * must never run here).
 */
class OutputFileCollectorTest {
    private static final Duration SCRIPT_TIME = Duration.ofSeconds(10);

    @TempDir
    Path root;
    private Path workspace;

    @BeforeEach
    void layOut() throws Exception {
        workspace = Files.createDirectory(root.resolve("workspace"));
        Path elsewhere = Files.createDirectory(root.resolve("etc"));
        Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0");
        Files.createDirectories(workspace.resolve("out/deep"));
        Files.writeString(workspace.resolve("out/deep/result.txt"), "42");
        Files.createSymbolicLink(workspace.resolve("etcdir"), elsewhere);
        Files.createSymbolicLink(workspace.resolve("out/via"), elsewhere);
    }

    private List<String> listed(String... paths) throws Exception {
        return ran(OutputFileCollector.LIST, paths);
    }

    private List<String> matched(String... patterns) throws Exception {
        return ran(OutputFileCollector.MATCH, patterns);
    }

    private List<String> ran(String script, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script, "list", "1000"));
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(SCRIPT_TIME.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the listing script did not end within " + SCRIPT_TIME);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.isEmpty() ? List.of() : List.of(out.split("\0"));
    }

    @Test
    void listsAFileBelowRealFolders() throws Exception {
        assertEquals(List.of("./out/deep/result.txt"), listed("out/deep/result.txt"));
    }

    @Test
    void doesNotListAFileReachedThroughASymlinkedFolder() throws Exception {
        assertEquals(List.of(), listed("etcdir/passwd"));
    }

    @Test
    void doesNotListAFileReachedThroughASymlinkedFolderInTheMiddle() throws Exception {
        assertEquals(List.of(), listed("out/via/passwd"));
    }

    @Test
    void listsTheRealFilesAmongRefusedOnes() throws Exception {
        assertEquals(List.of("./out/deep/result.txt"), listed("etcdir/passwd", "out/deep/result.txt", "missing/x"));
    }

    @Test
    void matchesPatternsPartByPart() throws Exception {
        Files.writeString(workspace.resolve("out/deep/TEST-a.xml"), "<a/>");
        Files.writeString(workspace.resolve("out/deep/TEST-b.xml"), "<b/>");
        assertEquals(List.of("./out/deep/TEST-a.xml", "./out/deep/TEST-b.xml"), matched("out/*/TEST-*.xml"));
    }

    @Test
    void aPatternWithASpaceStaysOnePattern() throws Exception {
        Files.writeString(workspace.resolve("out/deep/my report.xml"), "<r/>");
        assertEquals(List.of("./out/deep/my report.xml"), matched("out/deep/my *.xml"));
    }

    @Test
    void doesNotMatchThroughASymlinkedFolder() throws Exception {
        assertEquals(List.of(), matched("*/passwd", "out/*/passwd"));
    }

    @Test
    void skipsMatchesOfTheParentFolder() throws Exception {
        assertEquals(List.of(), matched(".*/etc/passwd"));
    }

    @Test
    void anUnmatchedPatternFindsNothing() throws Exception {
        assertEquals(List.of(), matched("nothing-*.xml"));
    }
}
