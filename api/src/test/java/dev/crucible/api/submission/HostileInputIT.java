package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Sandboxes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks through the public API. Each one must end with the expected verdict and leave the server
 * healthy; after all of them, nothing of theirs is left on the host. No test traffic leaves this
 * machine: the network checks look at the sandbox's interfaces and routes, they send nothing out.
 */
class HostileInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    private JsonNode run(String source, String limits) {
        ObjectNode request = JSON.createObjectNode().put("runtime", "python").put("source", source);
        if (limits != null) {
            try {
                request.set("limits", JSON.readTree(limits));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        var answer = stack.submit(request.toString());
        assertEquals(200, answer.status(), answer.raw().body());
        return answer.body();
    }

    private JsonNode run(String source) {
        return run(source, null);
    }

    private static String verdict(JsonNode result) {
        return result.get("verdict").asText();
    }

    /**
     * Like {@link #run}, but waits for the final state as long as {@code limit} by polling, not by
     * {@code ?wait=true}: under runsc's systrap a fork bomb can fill the sandbox's memory before its
     * process limit, and killing a gVisor sandbox that is out of memory was once seen to take Docker
     * 30 s (the executor's call deadline), longer than the api's wait.
     */
    private JsonNode runToTheEnd(String source, String limits, Duration limit) throws InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("runtime", "python").put("source", source);
        try {
            request.set("limits", JSON.readTree(limits));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        var created = stack.post("/v1/submissions", "application/json", request.toString(), stack.adminKey());
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode now = stack.get("/v1/submissions/" + id, stack.adminKey()).body();
            if (now.get("status").asText().equals("completed")) {
                return now;
            }
            assertTrue(System.nanoTime() < deadline, "not final within " + limit + ": " + now);
            Thread.sleep(250);
        }
    }

    @Test
    void forkBombIsContained() throws InterruptedException {
        JsonNode result = runToTheEnd("""
                import os
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass""", "{\"wall_time_ms\": 3000}", Duration.ofSeconds(120));
        assertTrue(List.of("time_limit_exceeded", "memory_limit_exceeded").contains(verdict(result)), result.toString());
        assertTrue(serverHealthy());
    }

    @Test
    void endlessSleepIsKilledAtTheWallTime() {
        assertEquals("time_limit_exceeded", verdict(run("import time; time.sleep(3600)", "{\"wall_time_ms\": 500}")));
    }

    @Test
    void fillingTmpStopsAtItsSize() {
        JsonNode result = run("""
                import errno
                try:
                    with open('/tmp/fill', 'wb') as f:
                        for _ in range(1024):
                            f.write(b'x' * (1 << 20))
                    print('wrote it all')
                except OSError as e:
                    print(errno.errorcode[e.errno])""", "{\"memory_mb\": 512}");
        assertEquals("accepted", verdict(result), result.toString());
        assertTrue(List.of("ENOSPC\n", "EFBIG\n").contains(result.get("stdout").asText()), result.get("stdout").asText());
    }

    @Test
    void fillingTheRootFilesystemIsBoundedByMemory() {
        JsonNode result = run("""
                i = 0
                while True:
                    with open('/workspace/f%d' % i, 'wb') as f:
                        f.write(b'x' * (32 << 20))
                    i += 1""", "{\"memory_mb\": 128}");
        assertEquals("memory_limit_exceeded", verdict(result), result.toString());
    }

    @Test
    void manySmallFilesEndWithinTheLimits() {
        JsonNode result = run("""
                import os
                n = 0
                try:
                    for n in range(200000):
                        open('/tmp/%d' % n, 'w').close()
                except OSError as e:
                    pass
                print('made', n > 0)""", "{\"wall_time_ms\": 10000}");
        assertTrue(List.of("accepted", "time_limit_exceeded", "memory_limit_exceeded").contains(verdict(result)), result.toString());
        assertTrue(serverHealthy());
    }

    @Test
    void theSandboxHasNoNetworkButLoopback() {
        JsonNode result = run("""
                import socket
                print(sorted(name for _, name in socket.if_nameindex()))
                routes = open('/proc/net/route').read().splitlines()[1:]
                print(len(routes))""");
        assertEquals("['lo']\n0\n", result.get("stdout").asText());
    }

    @Test
    void noSecretOfTheHostIsVisible() {
        JsonNode result = run("""
                import os
                print(sorted(os.environ))
                print(os.path.exists('/work'), os.path.exists('/var/run/docker.sock'), os.path.exists('/run/docker.sock'))
                try:
                    open('/etc/shadow').read()
                    print('shadow readable')
                except OSError:
                    print('shadow closed')""");
        assertEquals("['HOME', 'HOSTNAME', 'LANG', 'PATH', 'PWD']\nFalse False False\nshadow closed\n", result.get("stdout").asText());
    }

    @Test
    void theDockerProxyIsNotReachableFromInside() {
        // 127.0.0.1 inside the sandbox is the sandbox's own loopback, not the host's.
        JsonNode result = run("""
                import socket
                try:
                    socket.create_connection(('127.0.0.1', 2375), timeout=2)
                    print('reached')
                except OSError:
                    print('refused')""");
        assertEquals("refused\n", result.get("stdout").asText());
    }

    @Test
    void privilegesCannotBeGained() {
        JsonNode result = run("""
                import os, subprocess
                try:
                    os.setuid(0)
                    print('setuid worked')
                except PermissionError:
                    print('setuid refused')
                r = subprocess.run(['mount', '-t', 'tmpfs', 'none', '/workspace'], capture_output=True)
                print('mount refused' if r.returncode != 0 else 'mounted')
                print(open('/proc/self/status').read().count('CapEff:\\t0000000000000000'))""");
        assertEquals("setuid refused\nmount refused\n1\n", result.get("stdout").asText());
    }

    @Test
    void aBackgroundProcessDiesWithTheProgram() {
        JsonNode result = run("""
                import subprocess
                subprocess.Popen(['sleep', '300'], start_new_session=True)
                print('left it running')""");
        assertEquals("accepted", verdict(result));
        assertTrue(result.get("wall_time_ms").asLong() < 5000, "the run ends with its main process");
    }

    @Test
    void hugeStdinArrivesWhole() {
        String stdin = "x".repeat(1 << 20);
        ObjectNode request = JSON.createObjectNode().put("runtime", "python")
                .put("source", "import sys; print(len(sys.stdin.read()))").put("stdin", stdin);
        var answer = stack.submit(request.toString());
        assertEquals((1 << 20) + "\n", answer.body().get("stdout").asText());
    }

    @Test
    void tooMuchStdinIsRefused() {
        ObjectNode request = JSON.createObjectNode().put("runtime", "python").put("source", "1").put("stdin", "x".repeat((1 << 20) + 1));
        assertEquals(422, stack.submit(request.toString()).status());
    }

    @Test
    void tooManyArgsAreRefused() {
        ObjectNode request = JSON.createObjectNode().put("runtime", "python").put("source", "1");
        var args = request.putArray("args");
        for (int i = 0; i < 65; i++) {
            args.add("a");
        }
        assertEquals(422, stack.submit(request.toString()).status());
    }

    @Test
    void plantedSymlinksChangeNothingOnTheHost() {
        JsonNode result = run("""
                import os
                for target in ['/proc/1/root', '/etc/passwd', '/', '../../..']:
                    os.symlink(target, '/workspace/link%d' % len(os.listdir('/workspace')))
                os.symlink('/etc/shadow', '/tmp/stdin')
                print(len(os.listdir('/workspace')))""");
        assertEquals("accepted", verdict(result), result.toString());
        assertEquals("5\n", result.get("stdout").asText());
        assertTrue(serverHealthy());
    }

    @Test
    void filesCannotBePlacedOutsideTheWorkFolder() {
        for (String path : List.of("../../etc/cron.d/x", "/etc/passwd", "a/../../b", "./x", "a\\b")) {
            ObjectNode request = JSON.createObjectNode().put("runtime", "python");
            request.putArray("files").addObject().put("path", path).put("content", "print(1)");
            assertEquals(422, stack.submit(request.toString()).status(), path);
        }
    }

    /** A new submitter key, so that what it stored (nothing, here) can be listed apart from other tests' work. */
    private String freshSubmitterKey() {
        var answer = stack.post("/v1/keys", "application/json", "{\"name\":\"it-hostile\",\"role\":\"submitter\"}", stack.adminKey());
        assertEquals(201, answer.status(), answer.raw().body());
        return answer.body().get("key").asText();
    }

    private void assertNothingStoredFor(String key) {
        var listing = stack.get("/v1/submissions?limit=1", key);
        assertEquals(200, listing.status(), listing.raw().body());
        assertEquals(0, listing.body().path("items").size(), listing.raw().body());
    }

    @Test
    void aKeyGivenTwiceIsMalformedJsonAndNothingIsStored() {
        String key = freshSubmitterKey();
        var answer = stack.post("/v1/submissions", "application/json",
                "{\"runtime\":\"python\",\"source\":\"print(1)\",\"runtime\":\"bash\"}", key);
        assertEquals(400, answer.status(), answer.raw().body());
        assertEquals("malformed_json", answer.body().path("code").asText(), answer.raw().body());
        assertNothingStoredFor(key);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsABadRequestAndNothingIsStored() throws Exception {
        String key = freshSubmitterKey();
        URI api = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL"));
        String status;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 5000);
            socket.setSoTimeout(10_000);
            String body = "{\"runtime\"";
            String head = "POST /v1/submissions HTTP/1.1\r\nHost: " + api.getHost() + "\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            socket.getOutputStream().write((head + body).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
        assertTrue(status != null && status.startsWith("HTTP/1.1 400 "), "answered: " + status);
        assertNothingStoredFor(key);
    }

    @Test
    void anOutputFileBehindASymlinkedFolderIsNotReturned() {
        var answer = stack.submit("""
                {"runtime":"python","source":"import os\\nos.symlink('/etc', 'etcdir')\\nopen('mine.txt', 'w').write('1')",
                 "output_files":["etcdir/passwd","mine.txt"]}""");
        assertEquals(200, answer.status(), answer.raw().body());
        JsonNode files = answer.body().path("output_files");
        assertEquals(2, files.size(), answer.raw().body());
        assertTrue(!files.get(0).has("content"), "a file of the sandbox's /etc came back: " + files);
        assertEquals("1", files.get(1).path("content").asText(), files.toString());
    }

    /**
     * After the whole suite: no sandbox left, no gVisor sandbox process left but those of the idle
     * sandboxes of the executor's pool, no file of the executor's in the host's temporary folders, and
     * a normal run still works.
     */
    @AfterAll
    static void nothingIsLeftBehind() throws Exception {
        StackUnderTest stack = new StackUnderTest();
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print('still fine')\"}");
        assertEquals("still fine\n", answer.body().get("stdout").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Sandboxes.existing() > 0 || Sandboxes.gvisorProcesses() > Sandboxes.idleInPool()) {
            assertTrue(System.nanoTime() < deadline, "left behind: " + Sandboxes.existing() + " sandbox container(s), "
                    + Sandboxes.gvisorProcesses() + " runsc sandbox process(es) for " + Sandboxes.idleInPool() + " idle pool sandbox(es)");
            Thread.sleep(250);
        }
        assertTrue(serverHealthy());
        List<Path> left = executorFilesInTmp();
        left.removeAll(executorFilesBefore);
        assertEquals(List.of(), left, "files the executor left in the host's temporary folders");
    }

    private static List<Path> executorFilesBefore;

    @BeforeAll
    static void noteExecutorFiles() throws Exception {
        executorFilesBefore = executorFilesInTmp();
    }

    /** Files and folders owned by the executor's user in /tmp and /var/tmp, three levels deep. */
    private static List<Path> executorFilesInTmp() throws Exception {
        List<Path> owned = new java.util.ArrayList<>();
        var visitor = new java.nio.file.SimpleFileVisitor<Path>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                note(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                note(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException gone) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            private void note(Path path) {
                try {
                    if (Files.getOwner(path, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName().equals("crucible-executor")) {
                        owned.add(path);
                    }
                } catch (java.io.IOException gone) {
                    // removed while we looked: not left behind
                }
            }
        };
        for (Path folder : List.of(Path.of("/tmp"), Path.of("/var/tmp"))) {
            Files.walkFileTree(folder, java.util.Set.of(), 3, visitor);
        }
        return owned;
    }

    private static boolean serverHealthy() {
        return new StackUnderTest().get("/v1/ready", null).status() == 200;
    }

}
