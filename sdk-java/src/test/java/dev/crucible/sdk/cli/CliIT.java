package dev.crucible.sdk.cli;

import static dev.crucible.testsupport.StackVariables.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.sdk.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./crucible run} as a user types it, through the stack's public entry with its self-signed certificate. */
class CliIT {
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path folder;

    private Command.Result crucibleRun(String... arguments) throws IOException {
        List<String> argv = new ArrayList<>(List.of(variable("CRUCIBLE_TEST_LAUNCHER"), "run"));
        argv.addAll(List.of(arguments));
        return Command.run(argv, folder, Map.of(
                "CRUCIBLE_URL", variable("CRUCIBLE_TEST_WEB_URL"),
                "CRUCIBLE_KEY", variable("CRUCIBLE_TEST_ADMIN_KEY"),
                "CRUCIBLE_CA", variable("CRUCIBLE_TEST_TLS_CERT")), LIMIT);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(folder.resolve(name), content);
    }

    @Test
    void aProgramsOutputComesOutAndItsExitCodeIsTheRunsStatus() throws IOException {
        file("greet.py", """
                import sys
                name = sys.stdin.read().strip()
                print("hello " + name, flush=True)
                print("a warning", file=sys.stderr, flush=True)
                sys.exit(3)
                """);
        file("name.txt", "crucible\n");

        // Relative names, from the folder it runs in; no --runtime: .py is python, by GET /v1/runtimes.
        Command.Result result = crucibleRun("greet.py", "--stdin", "name.txt");

        assertEquals(3, result.status(), result.toString());
        assertEquals("hello crucible\n", result.stdout(), result.toString());
        assertTrue(result.stderr().contains("a warning\n"), result.toString());
        assertTrue(result.stderr().contains("[crucible] runtime_error, exit code 3\n"), result.toString());
        assertTrue(result.stderr().contains("[crucible] wall "), result.toString());
    }

    @Test
    void testsGiveTheirVerdictsAndOneFailingMakesTheStatusOne() throws IOException {
        file("reverse.py", "print(input()[::-1])\n");
        file("a.in", "abc\n");
        file("a.out", "cba\n");
        file("b.in", "xy\n");
        file("b.out", "xy\n");

        Command.Result result = crucibleRun("reverse.py", "--runtime", "python", "--test", "a.in:a.out", "--test", "b.in:b.out");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.stderr().contains("[crucible] test 1 (a.in): accepted"), result.toString());
        assertTrue(result.stderr().contains("[crucible] test 2 (b.in): wrong_answer"), result.toString());
        assertTrue(result.stderr().contains("[crucible] wrong_answer, 1 of 2 tests passed\n"), result.toString());
    }

    @Test
    void passingTestsMakeTheStatusZero() throws IOException {
        file("reverse.py", "print(input()[::-1])\n");
        file("a.in", "abc\n");
        file("a.out", "cba\n");

        Command.Result result = crucibleRun("reverse.py", "--test", "a.in:a.out");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.stderr().contains("[crucible] accepted, 1 of 1 tests passed\n"), result.toString());
    }

    @Test
    void aMistakeIsStatusTwoBeforeAnythingIsSent() throws IOException {
        Command.Result result = crucibleRun("missing.py");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.stderr().contains("the program file missing.py does not exist"), result.toString());
    }
}
