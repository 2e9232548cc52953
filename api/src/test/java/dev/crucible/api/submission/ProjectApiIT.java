package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Projects against the running stack: an archive unpacked into a real gVisor sandbox, its own test
 * suite run by the runtime image's test tools, offline, and its JUnit reports read into test cases.
 */
class ProjectApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    private static final String CALC_PY = """
            def add(a, b):
                return a + b

            def sub(a, b):
                return a + b  # the bug the suite finds
            """;
    private static final String TEST_CALC_PY = """
            import pytest
            from calc import add, sub

            def test_add():
                assert add(2, 3) == 5

            def test_add_negative():
                assert add(-1, 1) == 0

            def test_sub():
                assert sub(5, 3) == 2

            @pytest.mark.skip(reason="not yet")
            def test_mul():
                pass
            """;

    /** Submits and, when {@code ?wait=true} answers 202 (still queued at the wait's end), polls until final. */
    private JsonNode run(ObjectNode request) {
        var answer = stack.submit(request.toString());
        assertTrue(answer.status() == 200 || answer.status() == 202, answer.raw().body());
        if (answer.status() == 200) {
            return answer.body();
        }
        String id = answer.body().get("id").asText();
        JsonNode[] last = new JsonNode[1];
        Await.until("project " + id + " to be final", Duration.ofMinutes(2), () -> {
            last[0] = stack.get("/v1/submissions/" + id, stack.adminKey()).body();
            return last[0].get("status").asText().equals("completed");
        });
        return last[0];
    }

    private static ObjectNode project(String runtime, byte[] archive, List<String> command) {
        ObjectNode request = JSON.createObjectNode().put("runtime", runtime);
        ObjectNode project = request.putObject("project").put("archive", Base64.getEncoder().encodeToString(archive));
        command.forEach(project.putArray("test_command")::add);
        return request;
    }

    private static byte[] tarGz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> pythonProject() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("calc.py", CALC_PY);
        files.put("tests/test_calc.py", TEST_CALC_PY);
        return files;
    }

    @Test
    void aPytestProjectReportsEachTestCase() throws IOException {
        JsonNode done = run(project("python", tarGz(pythonProject()),
                List.of("python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=report.xml")));

        assertEquals("wrong_answer", done.get("verdict").asText(), done.toString());
        assertEquals(1, done.get("exit_code").asInt(), "pytest exits 1 when a test fails: " + done);
        Map<String, String> statuses = new LinkedHashMap<>();
        done.get("test_cases").forEach(c -> statuses.put(c.get("name").asText(), c.get("status").asText()));
        assertEquals(Map.of("test_add", "passed", "test_add_negative", "passed", "test_sub", "failed", "test_mul", "skipped"),
                statuses, done.toString());
        JsonNode sub = done.get("test_cases").get(2);
        assertEquals("tests.test_calc", sub.get("classname").asText(), sub.toString());
        assertTrue(sub.get("message").asText().contains("assert 8 == 2"), sub.toString());
        assertEquals(2, done.get("score").get("passed").asInt(), done.toString());
        assertEquals(3, done.get("score").get("total").asInt(), "a skipped case is not counted: " + done);
    }

    @Test
    void aJunitProjectPassesOffline() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("src/main/Calc.java", "public class Calc { static int add(int a, int b) { return a + b; } }\n");
        files.put("src/test/CalcTest.java", """
                import static org.junit.jupiter.api.Assertions.assertEquals;
                import org.junit.jupiter.api.Test;

                class CalcTest {
                    @Test void adds() { assertEquals(5, Calc.add(2, 3)); }
                    @Test void addsNegatives() { assertEquals(-5, Calc.add(-2, -3)); }
                }
                """);
        String junit = "/usr/share/java/junit-platform-console-standalone.jar";
        ObjectNode request = project("java", zip(files), List.of("sh", "-c",
                "javac -J-Xmx256m -d out -cp " + junit + " src/main/Calc.java src/test/CalcTest.java"
                        + " && java -Xmx256m -XX:+UseSerialGC -jar " + junit + " -cp out --select-class CalcTest"
                        + " --disable-banner --reports-dir=reports"));
        request.putObject("limits").put("wall_time_ms", 30000).put("memory_mb", 1024);
        JsonNode done = run(request);

        assertEquals("accepted", done.get("verdict").asText(), done.toString());
        assertEquals(2, done.get("test_cases").size(), done.toString());
        done.get("test_cases").forEach(c -> assertEquals("passed", c.get("status").asText(), c.toString()));
        assertEquals(2, done.get("score").get("passed").asInt(), done.toString());
        assertEquals(2, done.get("score").get("total").asInt(), done.toString());
    }

    /** The names and statuses of a result's test cases, in order. */
    private static List<String> cases(JsonNode done) {
        List<String> cases = new java.util.ArrayList<>();
        done.get("test_cases").forEach(c -> cases.add(c.get("name").asText() + ":" + c.get("status").asText()));
        return cases;
    }

    @Test
    void aGoProjectIsReadFromGoTestJson() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("go.mod", "module calc\n\ngo 1.19\n");
        files.put("calc.go", "package calc\n\nfunc Add(a, b int) int { return a + b }\n");
        files.put("calc_test.go", """
                package calc

                import "testing"

                func TestAdd(t *testing.T) { if Add(2, 3) != 5 { t.Fatal("2+3") } }
                func TestAddWrong(t *testing.T) { if got := Add(2, 2); got != 5 { t.Errorf("got %d, want 5", got) } }
                """);
        ObjectNode request = project("go", tarGz(files),
                // /tmp is noexec in a sandbox: go test must build its binary in the workspace.
                List.of("env", "GOCACHE=/tmp/go-cache", "GOTMPDIR=/workspace", "GOFLAGS=-mod=mod", "go", "test", "-json", "./..."));
        request.putObject("limits").put("wall_time_ms", 30000).put("memory_mb", 512);
        JsonNode done = run(request);

        assertEquals("wrong_answer", done.get("verdict").asText(), done.toString());
        assertEquals(List.of("TestAdd:passed", "TestAddWrong:failed"), cases(done), done.toString());
        assertTrue(done.get("test_cases").get(1).get("message").asText().contains("got 4, want 5"), done.toString());
        assertTrue(done.get("message").asText().contains("read from stdout as go test -json"), done.toString());
    }

    @Test
    void aNodeProjectIsReadFromItsTap() throws IOException {
        ObjectNode request = project("node", tarGz(Map.of("calc.test.js", """
                const test = require('node:test');
                const assert = require('node:assert');
                test.describe('calc', () => {
                  test.it('adds', () => assert.strictEqual(2 + 3, 5));
                  test.it('subtracts', () => assert.strictEqual(5 - 3, 2));
                });
                """)), List.of("node", "--test"));
        JsonNode done = run(request);

        assertEquals("accepted", done.get("verdict").asText(), done.toString());
        assertEquals(List.of("adds:passed", "subtracts:passed"), cases(done), done.toString());
        assertEquals("calc", done.get("test_cases").get(0).get("classname").asText(), done.toString());
    }

    @Test
    void aRustProjectIsReadFromLibtest() throws IOException {
        ObjectNode request = project("rust", tarGz(Map.of("lib.rs", """
                pub fn add(a: i32, b: i32) -> i32 { a + b }
                #[cfg(test)]
                mod tests {
                    #[test] fn adds() { assert_eq!(super::add(2, 3), 5); }
                    #[test] #[ignore] fn later() {}
                }
                """)), List.of("sh", "-c", "rustc --edition 2021 --test -o suite lib.rs && ./suite"));
        request.putObject("limits").put("wall_time_ms", 30000).put("memory_mb", 512);
        JsonNode done = run(request);

        assertEquals("accepted", done.get("verdict").asText(), done.toString());
        // libtest runs its cases on threads: they finish, and print, in any order.
        assertEquals(List.of("adds:passed", "later:skipped"), cases(done).stream().sorted().toList(), done.toString());
        assertEquals(1, done.get("score").get("total").asInt(), done.toString());
    }

    @Test
    void aProjectWithoutReportsSaysSo() throws IOException {
        JsonNode done = run(project("python", tarGz(Map.of("main.py", "print('no suite')\n")), List.of("python3", "main.py")));

        assertEquals("accepted", done.get("verdict").asText(), done.toString());
        assertEquals("no suite\n", done.get("stdout").asText());
        assertTrue(done.get("message").asText().contains("no JUnit XML report was found"), done.toString());
    }

    @Test
    void theRequestGivesBackTheProject() throws IOException {
        byte[] archive = tarGz(Map.of("main.py", "print(1)\n"));
        JsonNode done = run(project("python", archive, List.of("python3", "main.py")));

        JsonNode request = stack.get("/v1/submissions/" + done.get("id").asText() + "?fields=request", stack.adminKey()).body();
        JsonNode project = request.get("request").get("project");
        assertEquals(Base64.getEncoder().encodeToString(archive), project.get("archive").asText(), request.toString());
        assertEquals("[\"python3\",\"main.py\"]", project.get("test_command").toString());
    }

    @Test
    void refusesAnArchiveThatReachesOutOfTheWorkFolder() throws IOException {
        var answer = stack.submit(project("python", tarGz(Map.of("../escape.py", "x")), List.of("python3", "-m", "pytest")).toString());

        assertEquals(422, answer.status(), answer.raw().body());
        JsonNode error = answer.body().get("errors").get(0);
        assertEquals("project.archive", error.get("field").asText(), answer.raw().body());
        assertTrue(error.get("message").asText().contains(".."), answer.raw().body());
    }

    @Test
    void refusesAProjectWithSource() throws IOException {
        ObjectNode request = project("python", tarGz(Map.of("main.py", "print(1)\n")), List.of("python3", "main.py"));
        request.put("source", "print(2)");
        var answer = stack.submit(request.toString());

        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("source", answer.body().get("errors").get(0).get("field").asText(), answer.raw().body());
    }

    @Test
    void refusesAReportPatternThatCouldMatchTheParentFolder() throws IOException {
        ObjectNode request = project("python", tarGz(Map.of("main.py", "print(1)\n")), List.of("python3", "main.py"));
        ((ObjectNode) request.get("project")).putArray("report_paths").add(".*/passwd");
        var answer = stack.submit(request.toString());

        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("project.report_paths[0]", answer.body().get("errors").get(0).get("field").asText(), answer.raw().body());
    }
}
