package dev.crucible.reliability;

import static dev.crucible.reliability.RunningStack.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./crucible up --role executor} on a second host joins the running stack, and
 * {@code ./crucible down --role executor} takes it out again, leaving the stack as it was.
 *
 * <p>The second host is simulated on this machine: a clone of this checkout with a state of its
 * own, its launcher given the stack's Redis, a metrics address of its own and, this machine having
 * one dockerd, the stack's Docker socket proxy (a real second host starts its own dockerd and proxy,
 * as the stack's launcher did here). The clone gets this checkout's built jars, as a host image
 * baked with the build would, instead of building again.
 */
class SecondHostIT {
    private static final Duration LAUNCHER_LIMIT = Duration.ofMinutes(3);
    private static final int METRICS_PORT = 9216;
    private static final Pattern LIVE = Pattern.compile("(\\d+) live");
    private final RunningStack stack = new RunningStack();
    private final Path checkout = Path.of(RunningStack.variable("CRUCIBLE_TEST_STATE_DIR")).getParent();
    private final String name = "it-second-host-" + Long.toString(System.nanoTime(), 36);
    /** The second host's folder, and the checkout in it. */
    private Path hostFolder;
    private Path host;

    @BeforeEach
    void cloneTheCheckout() throws IOException {
        Path hosts = Files.createDirectories(checkout.resolve(".crucible/test-hosts"));
        hostFolder = Files.createTempDirectory(hosts, "host-");
        // The executor's user reads its jars and the runtime manifests from the clone.
        Files.setPosixFilePermissions(hostFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path clone = hostFolder.resolve("crucible");
        command(List.of("git", "-c", "safe.directory=*", "clone", "-q", checkout.toString(), clone.toString()),
                Map.of(), Duration.ofSeconds(60));
        for (String module : List.of("api", "executor", "runtime")) {
            Path target = Files.createDirectories(clone.resolve(module).resolve("target"));
            command(List.of("cp", "-a", checkout.resolve(module + "/target/crucible-" + module + ".jar").toString(),
                    checkout.resolve(module + "/target/lib").toString(), target.toString()), Map.of(), Duration.ofSeconds(60));
        }
        // Stamped after the clone's sources: the launcher takes the build as current.
        Files.createDirectories(clone.resolve(".crucible"));
        Files.writeString(clone.resolve(".crucible/build.stamp"), "");
        host = clone;
    }

    @AfterEach
    void takeTheHostDown() throws IOException {
        try {
            launcher(List.of("down", "--role", "executor"));
        } finally {
            try (Stream<Path> files = Files.walk(hostFolder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void anExecutorRoleOnAnotherHostJoinsTheStackRunsItsJobsAndLeavesWithDown() throws Exception {
        int liveBefore = liveExecutors();
        String up = launcher(List.of("up", "--role", "executor"));
        assertTrue(up.contains("the executor is up, on the queue at"), up);
        assertFalse(up.contains("starting dockerd") || up.contains("starting PostgreSQL") || up.contains("starting the api"),
                "an executor role starts no other part: " + up);
        awaitTrue("the api to count the second host's executor", Duration.ofSeconds(30), () -> liveExecutors() == liveBefore + 1);

        String status = launcher(List.of("status", "--role", "executor"));
        assertTrue(status.lines().anyMatch(line -> line.matches("executor\\s+up\\s+pid \\d+")), status);
        assertTrue(status.lines().noneMatch(line -> line.matches("(postgres|redis|api|nginx|ready|disk postgres)\\s.*")),
                "no part of the api role: " + status);

        // Six slots in all, the stack's executor holding three at most: the second host takes some.
        List<String> ids = IntStream.range(0, 12)
                .mapToObj(i -> stack.submit("python", "import time\ntime.sleep(2)\nprint('host', " + i + ")")).toList();
        List<JsonNode> finals = stack.awaitFinal(ids, Duration.ofSeconds(120));
        long onTheSecondHost = 0;
        for (int i = 0; i < finals.size(); i++) {
            JsonNode s = finals.get(i);
            assertEquals("accepted", s.get("verdict").asText(), s.toString());
            assertEquals("host " + i + "\n", s.get("stdout").asText(), s.toString());
            if (s.path("provenance").path("executor").asText().equals(name)) {
                onTheSecondHost++;
            }
        }
        assertTrue(onTheSecondHost > 0, "the second host ran some of the jobs: " + finals);

        String down = launcher(List.of("down", "--role", "executor"));
        assertTrue(down.contains("stopping executor"), down);
        assertFalse(Files.exists(host.resolve(".crucible/run/executor.pid")), "its executor is stopped");
        assertFalse(down.contains("stopping api") || down.contains("stopping PostgreSQL"), "only the executor role stops: " + down);
        // The stack's own executor goes on.
        assertEquals("accepted", stack.awaitFinal(List.of(stack.submit("python", "print(1)")), Duration.ofSeconds(60))
                .getFirst().get("verdict").asText());
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(60));
    }

    /** The live executors /v1/ready counts, from its "N live, M healthy". */
    private int liveExecutors() {
        RunningStack.Answer ready = stack.send("GET", "/v1/ready", null, stack.adminKey(), Map.of());
        Matcher live = LIVE.matcher(ready.body().path("checks").path("executors").asText());
        assertTrue(live.find(), "/v1/ready: " + ready.body());
        return Integer.parseInt(live.group(1));
    }

    /** The clone's launcher, as an operator on the second host would run it; returns its output. */
    private String launcher(List<String> arguments) throws IOException {
        List<String> argv = Stream.concat(Stream.of(host.resolve("crucible").toString()), arguments.stream()).toList();
        return command(argv, Map.of(
                "CRUCIBLE_REDIS_URI", RunningStack.variable("CRUCIBLE_TEST_REDIS_URI"),
                "CRUCIBLE_DOCKER_HOST", RunningStack.variable("CRUCIBLE_TEST_DOCKER_HOST"),
                "CRUCIBLE_EXECUTOR_NAME", name,
                "CRUCIBLE_METRICS_LISTEN", "127.0.0.1:" + METRICS_PORT,
                "CRUCIBLE_POOL_SIZE", "0",
                "CRUCIBLE_DRAIN_MS", "5000"), LAUNCHER_LIMIT);
    }

    /** Runs {@code argv} (no shell) with {@code settings} on top of this JVM's environment, less the test suite's. */
    private static String command(List<String> argv, Map<String, String> settings, Duration limit) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("CRUCIBLE_") || key.equals("DOCKER_HOST"));
        builder.environment().putAll(settings);
        Path log = Files.createTempFile("crucible-second-host", ".log");
        try {
            Process process = builder.redirectOutput(log.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(argv + " took longer than " + limit + "; its output: " + Files.readString(log));
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                fail(argv + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            Files.delete(log);
        }
    }
}
