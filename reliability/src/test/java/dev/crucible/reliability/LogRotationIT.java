package dev.crucible.reliability;

import static dev.crucible.reliability.RunningStack.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's log rotation ({@code launcher/rotate-logs.sh}, the component log-rotation) over a
 * directory of its own, with a small size and a short look interval instead of the stack's 20 MB
 * and a minute.
 */
class LogRotationIT {
    private static final int MAX_BYTES = 1000;
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path logs;
    private Process rotation;

    private void startRotation() throws IOException {
        Path script = Path.of(System.getenv("CRUCIBLE_TEST_LAUNCHER")).resolveSibling("launcher").resolve("rotate-logs.sh");
        rotation = new ProcessBuilder(script.toString(), logs.toString(), Integer.toString(MAX_BYTES), "0.1")
                .redirectErrorStream(true).redirectOutput(logs.resolve("rotation.out").toFile()).start();
    }

    @AfterEach
    void stopRotation() throws InterruptedException {
        if (rotation != null) {
            rotation.destroyForcibly().waitFor();
        }
    }

    private static String lines(String tag, int bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < bytes; i++) {
            text.append(tag).append(' ').append(i).append('\n');
        }
        return text.toString();
    }

    @Test
    void logPastItsSizeIsCopiedAsideAndItsWriterGoesOnAtTheStartOfTheEmptiedFile() throws IOException {
        Path log = logs.resolve("api.log");
        String before = lines("before", 5 * MAX_BYTES);
        // Held open in append mode throughout, as the launcher's redirections hold every log.
        try (OutputStream writer = new FileOutputStream(log.toFile(), true)) {
            writer.write(before.getBytes(StandardCharsets.UTF_8));
            writer.flush();
            startRotation();
            awaitRotated(log);
            assertEquals(before, Files.readString(log.resolveSibling("api.log.1")));

            writer.write("after\n".getBytes(StandardCharsets.UTF_8));
            writer.flush();
            assertEquals("after\n", Files.readString(log), "the writer goes on at the new end, not past a hole where the old end was");
        }
    }

    @Test
    void linkIsNeverFollowed() throws IOException {
        Path target = logs.resolve("elsewhere");
        String content = lines("not a log", 5 * MAX_BYTES);
        Files.writeString(target, content);
        // Looked at before b-real.log in every pass: once that one is rotated, the link was passed over.
        Files.createSymbolicLink(logs.resolve("a-link.log"), target);
        Files.writeString(logs.resolve("b-real.log"), lines("real", 5 * MAX_BYTES));
        startRotation();

        awaitRotated(logs.resolve("b-real.log"));
        assertEquals(content, Files.readString(target));
        assertFalse(Files.exists(logs.resolve("a-link.log.1")));
    }

    @Test
    void oneOlderCopyIsKept() throws IOException {
        Path log = logs.resolve("executor.log");
        Files.writeString(log, lines("first", 2 * MAX_BYTES));
        startRotation();
        awaitRotated(log);
        String second = lines("second", 2 * MAX_BYTES);
        Files.writeString(log, second, StandardOpenOption.APPEND);
        awaitTrue("executor.log to be rotated again", WITHIN, () -> readOrEmpty(log.resolveSibling("executor.log.1")).equals(second));

        try (Stream<Path> files = Files.list(logs)) {
            assertEquals("executor.log executor.log.1 rotation.out",
                    String.join(" ", files.map(f -> f.getFileName().toString()).sorted(Comparator.naturalOrder()).toList()));
        }
        assertTrue(Files.size(log) < MAX_BYTES);
    }

    /** Copied aside and then emptied: only after both may the test write again without a rotation undoing it. */
    private static void awaitRotated(Path log) {
        Path copy = log.resolveSibling(log.getFileName() + ".1");
        awaitTrue(log.getFileName() + " to be rotated", WITHIN, () -> Files.exists(copy) && sizeOrMinusOne(log) == 0);
    }

    private static long sizeOrMinusOne(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
