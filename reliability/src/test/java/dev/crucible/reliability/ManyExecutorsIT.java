package dev.crucible.reliability;

import static dev.crucible.reliability.RunningStack.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several executors on one queue, as several hosts would run them: three more executor processes
 * beside the stack's own, each with its own name, all on the one Redis and reaching Docker only
 * through the socket proxy, as the executor's user. One is SIGKILLed mid-run, one is stopped with
 * SIGTERM (as a scale-in would), one survives: every one of 200 submissions still ends once, with its
 * output, the work is spread across executors, and what the killed one held is finished by another.
 */
class ManyExecutorsIT {
    /** The smallest reclaim the executor allows: a killed executor's jobs are taken over after it. */
    private static final Duration RECLAIM = Duration.ofSeconds(20);
    private static final Duration FINAL_WITHIN = Duration.ofSeconds(180);
    private final RunningStack stack = new RunningStack();
    private final Map<String, Process> executors = new HashMap<>();
    private final List<Path> logs = new ArrayList<>();

    /** Starts an executor process named {@code name}, as the launcher starts its own, without a pool. */
    private Process startExecutor(String name, int metricsPort) throws IOException {
        return startExecutor(name, metricsPort, Map.of());
    }

    /** The same, with {@code settings} on top of the others. */
    private Process startExecutor(String name, int metricsPort, Map<String, String> settings) throws IOException {
        Path root = Path.of(RunningStack.variable("CRUCIBLE_TEST_STATE_DIR")).getParent();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of("setpriv", "--reuid=crucible-executor", "--regid=crucible-executor", "--clear-groups",
                "--no-new-privs", "--", java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-cp", root.resolve("executor/target/crucible-executor.jar") + ":" + root.resolve("executor/target/lib") + "/*",
                "dev.crucible.executor.Main");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", "/nonexistent");
        env.put("CRUCIBLE_REDIS_URI", RunningStack.variable("CRUCIBLE_TEST_REDIS_URI"));
        env.put("CRUCIBLE_DOCKER_HOST", RunningStack.variable("CRUCIBLE_TEST_DOCKER_HOST"));
        env.put("CRUCIBLE_RUNTIMES_DIR", RunningStack.variable("CRUCIBLE_TEST_RUNTIMES_DIR"));
        env.put("CRUCIBLE_EXECUTOR_NAME", name);
        env.put("CRUCIBLE_EXECUTOR_SLOTS", "2");
        env.put("CRUCIBLE_POOL_SIZE", "0");
        env.put("CRUCIBLE_RECLAIM_AFTER_MS", Long.toString(RECLAIM.toMillis()));
        env.put("CRUCIBLE_METRICS_LISTEN", "127.0.0.1:" + metricsPort);
        env.put("CRUCIBLE_SANDBOX_VERSION", "runsc (" + name + ")");
        env.putAll(settings);
        Path log = Files.createTempFile("crucible-" + name, ".log");
        logs.add(log);
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        executors.put(name, process);
        awaitTrue(name + " to say it is ready", Duration.ofSeconds(60), () -> {
            try {
                return Files.readString(log).contains("executor " + name + " ready");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return process;
    }

    /** Jobs an extra executor runs now, from its own metrics. */
    private int running(int metricsPort) {
        return (int) metric(metricsPort, "crucible_executor_running_jobs");
    }

    /** The sum of one of an extra executor's metrics; 0 while it does not answer. */
    private double metric(int metricsPort, String name) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return RunningStack.metricSum(response.body(), name);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String job(int i) {
        return "import time\ntime.sleep(0.5)\nprint('job', " + i + ")";
    }

    /** The submissions an executor's log says it started and not that it finished (it logs that before it reports). */
    private static Set<String> held(Path log) {
        try {
            String text = Files.readString(log);
            Set<String> held = submissionsLogged(text, "running submission (\\S+) ");
            held.removeAll(submissionsLogged(text, "submission (\\S+) finished"));
            return held;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /** Sends {@code signal} (STOP, CONT) to an extra executor, and waits until it is sent. */
    private static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The submission ids in the lines of {@code log} that {@code pattern} (its group 1 the id) matches. */
    private static Set<String> submissionsLogged(String log, String pattern) {
        Set<String> ids = new HashSet<>();
        Matcher matcher = Pattern.compile(pattern).matcher(log);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    @AfterEach
    void stopTheExtraExecutors() throws Exception {
        for (Process process : executors.values()) {
            process.destroyForcibly();
            process.waitFor();
        }
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
    }

    /**
     * A job that outlives the drain deadline is stopped and handed back, and another executor runs it
     * at once: the stack's own executor reclaims only after its reclaim time of 120 s, which the
     * bound on the final results stays well under.
     */
    @Test
    void aStoppingExecutorHandsBackWhatStillRunsAtItsDrainDeadlineForAnotherToRunAtOnce() throws Exception {
        String name = "it-handing-back-" + Long.toString(System.nanoTime(), 36);
        Process stopping = startExecutor(name, 9214, Map.of("CRUCIBLE_DRAIN_MS", "1000", "CRUCIBLE_EXECUTOR_SLOTS", "1"));
        List<String> ids = IntStream.range(0, 6)
                .mapToObj(i -> stack.submit("python", "import time\ntime.sleep(5)\nprint('slow', " + i + ")"))
                .toList();
        awaitTrue("the executor to be stopped to hold a job", Duration.ofSeconds(60), () -> running(9214) > 0);
        stopping.destroy();
        assertTrue(stopping.waitFor(20, TimeUnit.SECONDS), "it stops within its drain deadline of 1 s and the hand-back's 15 s");
        String log = Files.readString(logs.getLast());
        Set<String> handedBack = submissionsLogged(log, "submission (\\S+) handed back");
        assertEquals(1, handedBack.size(), "its one slot's job, still running at the deadline, is handed back: " + log);

        List<JsonNode> finals = stack.awaitFinal(ids, Duration.ofSeconds(90));
        for (int i = 0; i < finals.size(); i++) {
            JsonNode s = finals.get(i);
            assertEquals("accepted", s.get("verdict").asText(), s.toString());
            assertEquals("slow " + i + "\n", s.get("stdout").asText(), s.toString());
            if (handedBack.contains(ids.get(i))) {
                assertNotEquals(name, s.path("provenance").path("executor").asText(), "run again elsewhere: " + s);
            }
        }
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(60));
    }

    @Test
    void everySubmissionEndsOnceWhenExecutorsDieOrDrain() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        String killedName = "it-killed-" + run;
        String survivorName = "it-survivor-" + run;
        Process killed = startExecutor(killedName, 9211);
        Process drained = startExecutor("it-drained-" + run, 9212);
        startExecutor(survivorName, 9213);

        // More than the key may have in flight (64): the first ones at once, the rest as earlier ones finish.
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> ids.add(stack.submit("python", job(i))));
        // Killed mid-run, once it has finished a few: it holds a job, and its results so far stand. It is
        // frozen before its log is read, so a job it holds then cannot finish before the kill.
        awaitTrue("the executor to be killed to have run jobs and to hold one", Duration.ofSeconds(60), () -> {
            if (metric(9211, "crucible_executor_jobs_seconds_count") < 3) {
                return false;
            }
            signal(killed, "STOP");
            if (!held(logs.getFirst()).isEmpty()) {
                return true;
            }
            signal(killed, "CONT");
            return false;
        });
        killed.destroyForcibly();
        killed.waitFor();
        drained.destroy();
        IntStream.range(60, 200).forEach(i -> ids.add(stack.submitWhenAdmitted("python", job(i), Duration.ofSeconds(120))));
        assertTrue(drained.waitFor(90, TimeUnit.SECONDS), "the drained executor finishes its jobs in hand and exits");
        String drainLog = Files.readString(logs.get(1));
        assertTrue(drainLog.contains("stopping: every job in hand finished"), drainLog);

        try {
            assertEachEndedOnce(ids, killedName, survivorName);
        } finally {
            // The killed executor's sandboxes are its leftovers; it sweeps them when it comes back, as after a crash.
            // Here even when an assertion failed: they would fail the next test's check for leftovers.
            startExecutor(killedName, 9211).destroy();
        }
        RunningStack.awaitNoSandboxLeft(Duration.ofSeconds(60));
    }

    private void assertEachEndedOnce(List<String> ids, String killedName, String survivorName) throws IOException {
        List<JsonNode> finals = stack.awaitFinal(ids, FINAL_WITHIN);
        Set<String> ranOn = new HashSet<>();
        for (int i = 0; i < finals.size(); i++) {
            JsonNode s = finals.get(i);
            assertEquals("completed", s.get("status").asText(), s.toString());
            assertEquals("accepted", s.get("verdict").asText(), s.toString());
            assertEquals("job " + i + "\n", s.get("stdout").asText(), s.toString());
            ranOn.add(s.path("provenance").path("executor").asText());
        }
        assertTrue(ranOn.contains(survivorName) && ranOn.contains(killedName) && ranOn.size() >= 3,
                "the work is spread across executors: " + ranOn);
        // What the killed executor had started and not finished when it died, others ran again after the reclaim time.
        Set<String> held = held(logs.getFirst());
        assertFalse(held.isEmpty(), "the killed executor died holding a job: " + Files.readString(logs.getFirst()));
        for (String id : held) {
            JsonNode s = finals.get(ids.indexOf(id));
            assertNotEquals(killedName, s.path("provenance").path("executor").asText(), "reclaimed and run elsewhere: " + s);
        }
    }
}
