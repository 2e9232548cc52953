package dev.crucible.sdk;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program the integration tests run as a user would: an argv (never a shell), its output kept apart. */
public final class Command {
    /** How it ended, and what it wrote. */
    public record Result(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Command() {}

    /**
     * Runs {@code argv} in {@code folder} with this JVM's environment less the CRUCIBLE_* variables (the
     * test suite's own; CRUCIBLE_JAVA_HOME stays, it says where Java is), plus {@code settings}; fails
     * the test when it takes longer than {@code limit}.
     */
    public static Result run(List<String> argv, Path folder, Map<String, String> settings, Duration limit)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(folder.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("CRUCIBLE_") && !key.equals("CRUCIBLE_JAVA_HOME"));
        builder.environment().putAll(settings);
        Path out = Files.createTempFile("crucible-command", ".out");
        Path err = Files.createTempFile("crucible-command", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(argv + " took longer than " + limit + "; its output:\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
