package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.StackUnderTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every shipped runtime through the API: hello world, a compile error, a failing exit, a time limit. */
class LanguagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    /** runtime, hello world, a program exiting with 3, an endless loop, a compile error (null for interpreted). */
    static Stream<Arguments> languages() {
        return Stream.of(
                Arguments.of("python", "print('hello')", "import sys; sys.exit(3)", "while True: pass", null),
                Arguments.of("node", "console.log('hello')", "process.exit(3)", "while (true) {}", null),
                Arguments.of("bash", "echo hello", "exit 3", "while :; do :; done", null),
                Arguments.of("c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }",
                        "int main(void) { return 3; }", "int main(void) { for (;;); }",
                        "int main(void) { return undefined_name; }"),
                Arguments.of("cpp", "#include <iostream>\nint main() { std::cout << \"hello\" << std::endl; }",
                        "int main() { return 3; }", "int main() { volatile int x = 0; for (;;) x++; }",
                        "int main() { std::string s; }"),
                Arguments.of("java", "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }",
                        "public class Main { public static void main(String[] a) { System.exit(3); } }",
                        "public class Main { public static void main(String[] a) { while (true) {} } }",
                        "public class Main { int x = ; }"),
                Arguments.of("go", "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello\") }",
                        "package main\nimport \"os\"\nfunc main() { os.Exit(3) }",
                        "package main\nfunc main() { for {} }",
                        "package main\nfunc main() { x := 1 }"),
                Arguments.of("rust", "fn main() { println!(\"hello\"); }",
                        "fn main() { std::process::exit(3); }",
                        "fn main() { loop {} }",
                        "fn main() { let x: i32 = \"text\"; }"));
    }

    private JsonNode run(String runtime, String source, long wallMs) {
        ObjectNode request = JSON.createObjectNode().put("runtime", runtime).put("source", source);
        request.putObject("limits").put("wall_time_ms", wallMs);
        var answer = stack.submit(request.toString());
        assertEquals(200, answer.status(), answer.raw().body());
        return answer.body();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void helloWorldIsAccepted(String runtime, String hello, String exit3, String loop, String broken) {
        JsonNode result = run(runtime, hello, 10_000);
        assertEquals("accepted", result.get("verdict").asText(), result.toString());
        assertEquals("hello\n", result.get("stdout").asText());
        if (broken != null) {
            assertTrue(result.has("compile_output"), "a compiled language reports what its compiler said");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c", "cpp"})
    void compileOptionsReachTheCompilerAfterItsOwn(String runtime) {
        ObjectNode request = JSON.createObjectNode().put("runtime", runtime)
                .put("source", "#include <stdio.h>\nint main(void) { printf(\"%d %ld\\n\", ANSWER, __STDC_VERSION__ + 0L); return 0; }");
        if (runtime.equals("cpp")) {
            request.put("source", "#include <cstdio>\nint main() { std::printf(\"%d %ld\\n\", ANSWER, __cplusplus); }");
        }
        request.putArray("compile_options").add("-DANSWER=42").add(runtime.equals("c") ? "-std=c99" : "-std=c++11");
        var answer = stack.submit(request.toString());
        assertEquals(200, answer.status(), answer.raw().body());
        // -std after the manifest's own -std wins: C99 is 199901, C++11 201103.
        assertEquals(runtime.equals("c") ? "42 199901\n" : "42 201103\n", answer.body().get("stdout").asText(), answer.raw().body());
    }

    @Test
    void aCompileOptionTheRuntimeDoesNotTakeIsRefusedBeforeAnythingRuns() {
        ObjectNode request = JSON.createObjectNode().put("runtime", "c").put("source", "int main(void) { return 0; }");
        request.putArray("compile_options").add("-fplugin=/tmp/x.so");
        var answer = stack.submit(request.toString());
        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("compile_options[0]", answer.body().at("/errors/0/field").asText(), answer.raw().body());
        JsonNode runtimes = stack.get("/v1/runtimes", stack.adminKey()).body();
        runtimes.forEach(r -> assertEquals(r.get("name").asText().matches("c|cpp"), !r.get("compile_options").isEmpty(), r.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void otherOutputThanExpectedIsAWrongAnswer(String runtime, String hello, String exit3, String loop, String broken) {
        ObjectNode request = JSON.createObjectNode().put("runtime", runtime).put("source", hello);
        request.putArray("tests").addObject().put("name", "greets").put("expected_output", "goodbye\n");
        var answer = stack.submit(request.toString());
        JsonNode result = answer.body();
        assertEquals("wrong_answer", result.get("verdict").asText(), answer.raw().body());
        assertEquals("wrong_answer", result.get("tests").get(0).get("verdict").asText());
        assertEquals("hello\n", result.get("tests").get(0).get("stdout").asText());
        assertEquals(0, result.get("score").get("passed").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void nonZeroExitIsARuntimeError(String runtime, String hello, String exit3, String loop, String broken) {
        JsonNode result = run(runtime, exit3, 10_000);
        assertEquals("runtime_error", result.get("verdict").asText(), result.toString());
        assertEquals(3, result.get("exit_code").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void endlessLoopExceedsTheTimeLimit(String runtime, String hello, String exit3, String loop, String broken) {
        JsonNode result = run(runtime, loop, 1000);
        assertEquals("time_limit_exceeded", result.get("verdict").asText(), result.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void brokenSourceIsACompileError(String runtime, String hello, String exit3, String loop, String broken) {
        if (broken == null) {
            return; // interpreted: there is no compile step to fail
        }
        JsonNode result = run(runtime, broken, 5000);
        assertEquals("compile_error", result.get("verdict").asText(), result.toString());
        assertFalse(result.get("compile_output").asText().isBlank(), "the compiler's message is returned");
        assertFalse(result.has("exit_code"), "the program did not run");
    }

    @Test
    void everyShippedRuntimeIsListed() {
        Set<String> names = new HashSet<>();
        stack.get("/v1/runtimes", stack.adminKey()).body().forEach(r -> names.add(r.get("name").asText()));
        assertEquals(Set.of("python", "python-science", "node", "bash", "c", "cpp", "java", "go", "rust"), names);
    }

    @Test
    void eachTestIsJudgedAndScored() {
        var answer = stack.submit("""
                {"runtime":"python","source":"print(int(input()) * 2)",
                 "tests":[{"name":"two","stdin":"2","expected_output":"4"},
                          {"name":"three","stdin":"3","expected_output":"6\\n\\n"},
                          {"name":"wrong","stdin":"3","expected_output":"7"},
                          {"name":"crash","stdin":"x","expected_output":"0"}]}""");
        JsonNode result = answer.body();
        assertEquals("wrong_answer", result.get("verdict").asText(), answer.raw().body());
        List<String> verdicts = new java.util.ArrayList<>();
        result.get("tests").forEach(t -> verdicts.add(t.get("name").asText() + ":" + t.get("verdict").asText()));
        assertEquals(List.of("two:accepted", "three:accepted", "wrong:wrong_answer", "crash:runtime_error"), verdicts);
        assertEquals(2, result.get("score").get("passed").asInt());
        assertEquals(4, result.get("score").get("total").asInt());
    }

    @Test
    void whitespaceComparisonFoldsSpacing() {
        var answer = stack.submit("""
                {"runtime":"python","source":"print(' 1   2 ')\\nprint('3')","compare":"whitespace",
                 "tests":[{"expected_output":"1 2 3"}]}""");
        assertEquals("accepted", answer.body().get("verdict").asText(), answer.raw().body());
    }

    @Test
    void compiledOnceForAllTests() {
        var answer = stack.submit("""
                {"runtime":"c","source":"#include <stdio.h>\\nint main(void) { int x; scanf(\\"%d\\", &x); printf(\\"%d\\\\n\\", x * x); }",
                 "tests":[{"stdin":"3","expected_output":"9"},{"stdin":"4","expected_output":"16"}]}""");
        assertEquals("accepted", answer.body().get("verdict").asText(), answer.raw().body());
        assertEquals(2, answer.body().get("score").get("passed").asInt());
    }

    @Test
    void multiFileCProgram() {
        var answer = stack.submit("""
                {"runtime":"c","files":[
                  {"path":"main.c","content":"#include <stdio.h>\\n#include \\"lib/twice.h\\"\\nint main(void) { printf(\\"%d\\\\n\\", twice(21)); }"},
                  {"path":"lib/twice.h","content":"static int twice(int x) { return 2 * x; }"}]}""");
        assertEquals("42\n", answer.body().get("stdout").asText(), answer.raw().body());
    }

    @Test
    void multiFileJavaProgram() {
        var answer = stack.submit("""
                {"runtime":"java","files":[
                  {"path":"Main.java","content":"public class Main { public static void main(String[] a) { System.out.println(Greeter.greet(a[0])); } }"},
                  {"path":"Greeter.java","content":"class Greeter { static String greet(String n) { return \\"hi \\" + n; } }"}],
                 "args":["ada"]}""");
        assertEquals("hi ada\n", answer.body().get("stdout").asText(), answer.raw().body());
    }
}
