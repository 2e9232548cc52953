package dev.crucible.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.StackUnderTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Piston-compatible routes against the running stack, with requests as Piston clients send them. */
class PistonApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    /** A body as the npm piston-client builds it, its defaults included. */
    private static ObjectNode execute(String language, String code) {
        ObjectNode body = JSON.createObjectNode().put("language", language).put("version", "*");
        body.putArray("files").addObject().put("content", code);
        body.put("stdin", "");
        body.putArray("args").add("1").add("2").add("3");
        return body.put("compile_timeout", 10_000).put("run_timeout", 3000)
                .put("compile_memory_limit", -1).put("run_memory_limit", -1);
    }

    /** Sent as the piston-client sends it: JSON under text/plain. */
    private StackUnderTest.Answer post(ObjectNode body) {
        return stack.post("/api/v2/execute", "text/plain;charset=UTF-8", body.toString(), stack.adminKey());
    }

    private JsonNode ran(ObjectNode body) {
        var answer = post(body);
        assertEquals(200, answer.status(), answer.raw().body());
        return answer.body();
    }

    @Test
    void runtimesAreListedUnderPistonsNamesWithTheirVersions() {
        var answer = stack.get("/api/v2/runtimes", stack.adminKey());
        assertEquals(200, answer.status(), answer.raw().body());
        List<String> languages = answer.body().findValuesAsText("language");
        assertTrue(languages.containsAll(List.of("python", "javascript", "c++", "c", "java", "go", "rust", "bash")), languages.toString());
        for (JsonNode runtime : answer.body()) {
            assertTrue(runtime.get("version").asText().matches("[0-9].*"), runtime.toString());
            assertTrue(runtime.get("aliases").isArray(), runtime.toString());
        }
    }

    @Test
    void pythonGetsStdinAndArgs() {
        JsonNode result = ran(execute("python", "import sys\nprint(sys.argv[1:], input())").put("stdin", "hi\n"));
        assertEquals("python", result.get("language").asText());
        assertEquals("['1', '2', '3'] hi\n", result.at("/run/stdout").asText(), result.toString());
        assertEquals(0, result.at("/run/code").asInt());
        assertTrue(result.at("/run/signal").isNull(), result.toString());
        assertTrue(result.path("compile").isMissingNode(), "an interpreted language has no compile stage: " + result);
    }

    @Test
    void cppCompilesAndRuns() {
        JsonNode result = ran(execute("c++", "#include <iostream>\nint main() { std::cout << 6 * 7 << std::endl; }"));
        assertEquals(0, result.at("/compile/code").asInt(), result.toString());
        assertEquals("42\n", result.at("/run/stdout").asText(), result.toString());
    }

    @Test
    void aCppCompileErrorIsReportedAsRunToo() {
        JsonNode result = ran(execute("cpp", "int main( {"));
        assertNotEquals(0, result.at("/compile/code").asInt(), result.toString());
        assertEquals(result.get("compile"), result.get("run"), "a failed compile sets run to compile");
        assertTrue(result.at("/compile/stderr").asText().contains("error"), result.toString());
    }

    @Test
    void aTimeLimitIsKilledWithSigkillAndStatusTo() {
        JsonNode result = ran(execute("python", "while True:\n    pass").put("run_timeout", 1000));
        assertEquals("SIGKILL", result.at("/run/signal").asText(), result.toString());
        assertEquals("TO", result.at("/run/status").asText(), result.toString());
        assertTrue(result.at("/run/code").isNull(), result.toString());
    }

    @Test
    void aTimeoutOverTheServersMaximumIsA400WithPistonsMessage() {
        var answer = post(execute("python", "print(1)").put("run_timeout", 100_000_000));
        assertEquals(400, answer.status(), answer.raw().body());
        assertTrue(answer.body().get("message").asText().startsWith("run_timeout cannot exceed the configured limit of"),
                answer.raw().body());
    }

    @Test
    void anUnknownLanguageIsA400() {
        var answer = post(execute("cobol", "DISPLAY 'HI'."));
        assertEquals(400, answer.status(), answer.raw().body());
        assertTrue(answer.body().get("message").asText().contains("cobol-* runtime is unknown"), answer.raw().body());
    }

    @Test
    void noCredentialsIsA401WithoutAnAnonymousKey() {
        var answer = stack.post("/api/v2/execute", "application/json", execute("python", "print(1)").toString(), null);
        assertEquals(401, answer.status(), answer.raw().body());
        assertEquals(401, stack.get("/api/v2/runtimes", null).status());
    }
}
