package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.testsupport.StackVariables;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox against real Docker with runsc, through the real socket proxy. */
class DockerSandboxIT {
    private static final String OWNER = "sandbox-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static DockerSandbox sandbox;
    private static String pythonImage;

    static String variable(String name) {
        return StackVariables.variable(name);
    }

    @BeforeAll
    static void connect() {
        sandbox = DockerSandbox.connect(URI.create(variable("CRUCIBLE_TEST_DOCKER_HOST")), SandboxPolicy.DEFAULT,
                java.nio.file.Path.of("/sys/fs/cgroup"), OWNER);
        pythonImage = RuntimeCatalog.load(Path.of(variable("CRUCIBLE_TEST_RUNTIMES_DIR"))).find("python").orElseThrow().image().tag();
    }

    @AfterAll
    static void close() throws Exception {
        sandbox.close();
    }

    private static SandboxRun python(String source, Duration wall, String stdin) {
        return python(source, wall, stdin, 256L << 20);
    }

    private static SandboxRun python(String source, Duration wall, String stdin, long memoryBytes) {
        return sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"),
                List.of(new SandboxSpec.SandboxFile("main.py", source.getBytes(StandardCharsets.UTF_8))),
                stdin.getBytes(StandardCharsets.UTF_8), SandboxSpec.Limits.of(wall, memoryBytes, 4096)), Cancellation.NEVER);
    }

    /** Removal comes after the result, off its critical path: poll for it. */
    static boolean removedWithin(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!sandbox.existingSandboxes().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static String stdout(SandboxRun run) {
        return new String(run.output().stdout().kept(), StandardCharsets.UTF_8);
    }

    @Test
    void kernelIsGvisors() {
        assertEquals("4.4.0\n", stdout(python("import os; print(os.uname().release)", Duration.ofSeconds(10), "")));
    }

    @Test
    void stdoutAndStderrArriveSeparately() {
        SandboxRun run = python("import sys; print('out'); print('err', file=sys.stderr)", Duration.ofSeconds(10), "");
        assertEquals("out\n", stdout(run));
        assertEquals("err\n", new String(run.output().stderr().kept(), StandardCharsets.UTF_8));
    }

    @Test
    void everyStageOfTheSandboxIsMeasured() {
        SandboxRun.Stages stages = python("import time; time.sleep(0.3)", Duration.ofSeconds(10), "").stages();
        assertTrue(stages.create().isPositive() && stages.start().isPositive() && stages.teardown().isPositive(), stages.toString());
        assertTrue(stages.run().compareTo(Duration.ofMillis(300)) >= 0, "the run stage holds the program's sleep: " + stages);
        assertTrue(stages.total().compareTo(Duration.ofSeconds(30)) < 0, stages.toString());
    }

    @Test
    void stdinIsDelivered() {
        assertEquals("ping\n", stdout(python("print(input())", Duration.ofSeconds(10), "ping\n")));
    }

    /** A program that prints its stdin, then each other file the run was given with its mode, owner and content. */
    private static SandboxRun listing(List<SandboxSpec.SandboxFile> files, String stdin) {
        List<SandboxSpec.SandboxFile> all = new ArrayList<>(files);
        all.add(new SandboxSpec.SandboxFile("main.py", """
                import os, sys
                print(repr(sys.stdin.read()), oct(os.stat('/io/stdin').st_mode & 0o777))
                for root, _, names in os.walk('.'):
                    for name in sorted(set(names) - {'main.py'}):
                        path = os.path.join(root, name)
                        st = os.lstat(path)
                        print(path, oct(st.st_mode & 0o777), st.st_uid, repr(open(path, 'rb').read()[:60]))
                print(os.path.exists('/tmp/pwned'))
                """.getBytes(StandardCharsets.UTF_8)));
        return sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"), all,
                stdin.getBytes(StandardCharsets.UTF_8), SandboxSpec.Limits.of(Duration.ofSeconds(10), 256L << 20, 1 << 16)),
                Cancellation.NEVER);
    }

    @Test
    void smallTextFilesWithShellWordsArriveVerbatim() {
        String hostile = "$(touch /tmp/pwned)`touch /tmp/pwned`;\"'%s\n\\";
        SandboxRun run = listing(List.of(new SandboxSpec.SandboxFile("--", hostile.getBytes(StandardCharsets.UTF_8)),
                new SandboxSpec.SandboxFile("$(touch x)", "é\n".getBytes(StandardCharsets.UTF_8))), hostile);
        assertEquals("""
                '$(touch /tmp/pwned)`touch /tmp/pwned`;"\\'%s\\n\\\\' 0o444
                ./$(touch x) 0o644 65534 b'\\xc3\\xa9\\n'
                ./-- 0o644 65534 b'$(touch /tmp/pwned)`touch /tmp/pwned`;"\\'%s\\n\\\\'
                False
                """, stdout(run));
    }

    @Test
    void aWorkspaceTooLargeOrPlainToGoInlineIsCopied() {
        byte[] large = new byte[ProgramCommand.INLINE_JSON_BYTES + 1];
        Arrays.fill(large, (byte) 'x');
        SandboxRun run = listing(List.of(new SandboxSpec.SandboxFile("lib/large.txt", large),
                new SandboxSpec.SandboxFile("run.sh", "true".getBytes(StandardCharsets.UTF_8), true)), "in");
        assertEquals("""
                'in' 0o444
                ./run.sh 0o755 65534 b'true'
                ./lib/large.txt 0o644 65534 b'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
                False
                """, stdout(run));
    }

    @Test
    void runsAsTheUnprivilegedUserWithoutCapabilities() {
        String out = stdout(python("""
                import os
                print(os.getuid(), os.getgid())
                print(''.join(l for l in open('/proc/self/status') if l.startswith(('CapEff', 'CapBnd'))), end='')""",
                Duration.ofSeconds(10), ""));
        assertEquals("65534 65534\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n", out);
    }

    @Test
    void networkIsAbsent() {
        String out = stdout(python("""
                import socket
                try:
                    socket.create_connection(('127.0.0.1', 9), timeout=2)
                    print('connected')
                except OSError as e:
                    print('refused')
                print(sorted(n for _, n in socket.if_nameindex()))""", Duration.ofSeconds(10), ""));
        assertEquals("refused\n['lo']\n", out);
    }

    @Test
    void endlessLoopIsKilledAtTheWallTimeAndRemoved() {
        SandboxRun run = python("while True: pass", Duration.ofMillis(800), "");
        assertEquals(Ending.TIMED_OUT, run.ending());
        long wall = Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        assertTrue(wall >= 800 && wall < 2300, "wall " + wall + " ms");
        assertTrue(removedWithin(Duration.ofSeconds(10)), "the container must be removed");
    }

    @Test
    void cancellationKillsTheSandboxAtOnce() {
        long cancelAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        SandboxRun run = sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"),
                List.of(new SandboxSpec.SandboxFile("main.py", "import time; time.sleep(60)".getBytes(StandardCharsets.UTF_8))),
                new byte[0], SandboxSpec.Limits.of(Duration.ofSeconds(30), 128L << 20, 4096)), () -> System.nanoTime() > cancelAt);
        assertEquals(Ending.CANCELLED, run.ending());
        assertNotEquals(Ending.TIMED_OUT, run.ending());
        long wall = Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        assertTrue(wall < 3000, "killed " + wall + " ms after its start");
        assertTrue(removedWithin(Duration.ofSeconds(10)), "the container must be removed");
    }

    @Test
    void forkBombIsContainedByTheProcessLimit() {
        SandboxRun run = python("""
                import os
                n = 0
                try:
                    while True:
                        if os.fork() == 0:
                            os.execv('/bin/sleep', ['sleep', '60'])
                        n += 1
                except OSError as e:
                    print('stopped after', n, e.errno)""", Duration.ofSeconds(20), "");
        assertNotEquals(Ending.TIMED_OUT, run.ending(), "the fork loop must hit the process limit, not the wall time");
        assertEquals("stopped after 63 11\n", stdout(run), "64 processes in all, then EAGAIN");
        assertTrue(removedWithin(Duration.ofSeconds(10)), "the container must be removed");
    }

    /** The exec is seen exited before its last megabytes have come through Docker and the proxy: they still count. */
    @Test
    void outputWrittenJustBeforeTheExitArrivesWhole() {
        SandboxRun run = sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"),
                List.of(new SandboxSpec.SandboxFile("main.py", """
                        import os, sys
                        sys.stdout.buffer.write(b'x' * (6 << 20))
                        sys.stdout.flush()
                        os._exit(0)""".getBytes(StandardCharsets.UTF_8))),
                new byte[0], SandboxSpec.Limits.of(Duration.ofSeconds(20), 256L << 20, 8L << 20)), Cancellation.NEVER);
        assertEquals(6 << 20, run.output().stdout().kept().length, "every byte written before the exit is kept");
    }

    @Test
    void exitStatusIsTheProgramsAsGvisorReportedIt() {
        assertEquals(new Ending.Exited(7), python("raise SystemExit(7)", Duration.ofSeconds(10), "").ending());
    }

    @Test
    void cpuTimeOfABusyProgramIsMeasured() {
        SandboxRun run = python("""
                import time
                end = time.monotonic() + 1.0
                while time.monotonic() < end: pass""", Duration.ofSeconds(10), "");
        long cpu = run.usage().cpu().toMillis();
        // Spinning for a second of wall time on a shared machine: most of a second, never much more.
        assertTrue(cpu >= 600 && cpu < 2000, "a busy second was measured as " + cpu + " ms of CPU");
    }

    @Test
    void aSleepingProgramUsesLittleCpu() {
        SandboxRun run = python("import time; time.sleep(1)", Duration.ofSeconds(10), "");
        long cpu = run.usage().cpu().toMillis();
        assertTrue(cpu < 500, "sleeping a second was measured as " + cpu + " ms of CPU");
    }

    @Test
    void peakMemoryOfAnAllocationIsMeasured() {
        SandboxRun run = python("""
                x = bytearray(100 * 1024 * 1024)
                del x""", Duration.ofSeconds(10), "");
        long peakMb = run.usage().peakMemoryBytes() >> 20;
        assertTrue(peakMb >= 100 && peakMb < 160, "a 100 MiB allocation peaked at " + peakMb + " MiB");
    }

    @Test
    void runOutOfMemoryIsReportedAtTheLimit() {
        SandboxRun run = python("x = bytearray(300 * 1024 * 1024)", Duration.ofSeconds(20), "", 128L << 20);
        assertEquals(Ending.OUT_OF_MEMORY, run.ending(), "a 300 MiB allocation in 128 MiB must be killed for memory: " + run);
        long peakMb = run.usage().peakMemoryBytes() >> 20;
        assertTrue(peakMb > 90 && peakMb <= 128, "the peak of a sandbox killed at 128 MiB was " + peakMb + " MiB");
    }

    @Test
    void usageIsReadJustBeforeTheKillAtTheWallTime() {
        SandboxRun run = python("while True: pass", Duration.ofMillis(1500), "");
        assertEquals(Ending.TIMED_OUT, run.ending());
        long cpu = run.usage().cpu().toMillis();
        assertTrue(cpu >= 1000 && cpu < 2500, "1.5 s of spinning was measured as " + cpu + " ms of CPU");
    }

    @Test
    void theProgramCannotStopTheKeeper() {
        SandboxRun run = python("""
                import os, signal
                try:
                    os.kill(1, signal.SIGKILL)
                    print('killed')
                except PermissionError:
                    print('refused')""", Duration.ofSeconds(10), "");
        assertEquals("refused\n", stdout(run));
        assertTrue(run.usage().cpu() != null, "the sandbox lived on to be measured");
    }

    @Test
    void onlyRegularOutputFilesWithinTheLimitAreCollected() {
        SandboxRun run = sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"),
                List.of(new SandboxSpec.SandboxFile("main.py", """
                        import os
                        os.makedirs('out')
                        open('out/result.txt', 'w').write('42')
                        os.symlink('/etc/passwd', 'link')
                        open('big', 'wb').write(b'x' * (256 * 1024 + 1))""".getBytes(StandardCharsets.UTF_8))),
                new byte[0], SandboxSpec.Limits.of(Duration.ofSeconds(10), 256L << 20, 4096))
                .collecting(List.of("out/result.txt", "link", "big", "missing", "-name")), Cancellation.NEVER);
        assertEquals(List.of("out/result.txt"), List.copyOf(run.outputFiles().keySet()));
        assertEquals("42", new String(run.outputFiles().get("out/result.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aFileReachedThroughASymlinkedFolderIsNotCollected() {
        SandboxRun run = sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"),
                List.of(new SandboxSpec.SandboxFile("main.py", """
                        import os
                        os.symlink('/etc', 'etcdir')
                        os.makedirs('out')
                        os.symlink('/etc', 'out/etc')
                        open('out/result.txt', 'w').write('42')""".getBytes(StandardCharsets.UTF_8))),
                new byte[0], SandboxSpec.Limits.of(Duration.ofSeconds(10), 256L << 20, 4096))
                .collecting(List.of("etcdir/passwd", "out/etc/passwd", "out/result.txt")), Cancellation.NEVER);
        assertEquals(List.of("out/result.txt"), List.copyOf(run.outputFiles().keySet()));
    }

    @Test
    void aMemoryKillLeavesNoWordOfGvisorInTheProgramsStderr() {
        SandboxRun run = python("""
                import sys
                sys.stderr.write('before\\n'); sys.stderr.flush()
                x = bytearray(300 * 1024 * 1024)""", Duration.ofSeconds(20), "", 128L << 20);
        assertEquals(Ending.OUT_OF_MEMORY, run.ending(), run.toString());
        String stderr = new String(run.output().stderr().kept(), StandardCharsets.UTF_8);
        assertTrue(stderr.startsWith("before\n"), "the program's own stderr stays: " + stderr);
        assertTrue(!stderr.contains("runsc") && !stderr.contains("sandbox") && !stderr.matches("(?s).*[0-9a-f]{64}.*"),
                "gVisor's or Docker's words reached the program's stderr: " + stderr);
    }

    @Test
    void aProgramThatClosesItsOutputIsStillWaitedFor() {
        SandboxRun run = python("""
                import os, time
                os.close(1); os.close(2)
                time.sleep(0.5)
                os._exit(3)""", Duration.ofSeconds(10), "");
        assertEquals(new Ending.Exited(3), run.ending(), "the exit status comes after the output closed");
    }

    @Test
    void theSandboxLimitsApplyToTheExecutedProgram() {
        String bash = RuntimeCatalog.load(Path.of(variable("CRUCIBLE_TEST_RUNTIMES_DIR"))).find("bash").orElseThrow().image().tag();
        SandboxRun run = sandbox.run(SandboxSpec.program(UUID.randomUUID().toString(), bash,
                List.of("bash", "-c", "ulimit -n; ulimit -f; ulimit -u"), List.of(), new byte[0],
                SandboxSpec.Limits.of(Duration.ofSeconds(10), 128L << 20, 4096)), Cancellation.NEVER);
        assertEquals("256\n65536\n64\n", stdout(run), "open files, file size (KiB) and processes");
    }

    @Test
    void processesLeftBehindDoNotStretchTheWallTime() {
        SandboxRun run = python("""
                import subprocess
                subprocess.Popen(['sleep', '5'])
                print('done')""", Duration.ofSeconds(10), "");
        long wall = Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        assertTrue(wall < 1500, "a leftover sleep holding stdout kept the run " + wall + " ms");
    }

    /**
     * With a pool: a run takes a started sandbox (a hit), and what the program sees is what a fresh
     * sandbox shows: only the keeper and its own processes, an empty /tmp, only its files, a sandbox
     * that has run nothing else. The pooled sandbox is removed after its one run.
     */
    @Test
    void aPooledSandboxLooksFreshAndServesOneRun() throws Exception {
        PoolSettings settings = new PoolSettings(1, 1, 2, Duration.ofMinutes(5), Duration.ofMinutes(5));
        String owner = OWNER + "-pool";
        try (DockerSandbox pooled = DockerSandbox.connect(URI.create(variable("CRUCIBLE_TEST_DOCKER_HOST")), SandboxPolicy.DEFAULT,
                Path.of("/sys/fs/cgroup"), owner, settings)) {
            pooled.startPool(java.util.Map.of(pythonImage, java.util.Set.of(256L << 20)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (pooled.poolStats().idle() < 1) {
                assertTrue(System.nanoTime() < deadline, "the pool did not start a sandbox: " + pooled.poolStats());
                Thread.sleep(50);
            }
            SandboxRun run = pooled.run(SandboxSpec.program(UUID.randomUUID().toString(), pythonImage, List.of("python3", "main.py"),
                    List.of(new SandboxSpec.SandboxFile("main.py", """
                            import os
                            pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
                            print(len(pids), sorted(os.listdir('/tmp')), sorted(os.listdir('.')), input())""".getBytes(StandardCharsets.UTF_8))),
                    "stdin\n".getBytes(StandardCharsets.UTF_8), SandboxSpec.Limits.of(Duration.ofSeconds(10), 256L << 20, 4096)),
                    Cancellation.NEVER);
            // The keeper, the shell that became python: two processes.
            assertEquals("2 [] ['main.py'] stdin\n", stdout(run), new String(run.output().stderr().kept(), StandardCharsets.UTF_8));
            assertEquals(1, pooled.poolStats().hits(), "the run took the started sandbox");
            long gone = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!pooled.existingSandboxes().isEmpty()) {
                assertTrue(System.nanoTime() < gone, "the used sandbox is removed after its run");
                Thread.sleep(50);
            }
        }
        DockerSandbox lister = DockerSandbox.connect(URI.create(variable("CRUCIBLE_TEST_DOCKER_HOST")), SandboxPolicy.DEFAULT,
                Path.of("/sys/fs/cgroup"), owner);
        try (lister) {
            assertEquals(0, lister.removeLeftovers(), "closing the pool removed its idle sandboxes");
        }
    }
}
