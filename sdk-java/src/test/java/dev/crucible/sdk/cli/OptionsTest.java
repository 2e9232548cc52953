package dev.crucible.sdk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static Options parse(String... args) throws UsageException {
        return Options.parse(List.of(args));
    }

    private static String refusal(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void theFileAndEveryOptionInAnyOrderEitherSpelling() throws UsageException {
        Options options = parse("--stdin=in.txt", "hello.py", "--runtime", "python");

        assertEquals(Path.of("hello.py"), options.source());
        assertEquals(Optional.of(Path.of("in.txt")), options.stdin());
        assertEquals(Optional.of("python"), options.runtime());
        assertEquals(List.of(), options.tests());
    }

    @Test
    void testsRepeat() throws UsageException {
        Options options = parse("--test", "a.in:a.out", "rev.py", "--test=b.in:b.out");

        assertEquals(List.of(new Options.TestFiles(Path.of("a.in"), Path.of("a.out")),
                new Options.TestFiles(Path.of("b.in"), Path.of("b.out"))), options.tests());
        assertEquals(Optional.empty(), options.stdin());
        assertEquals(Optional.empty(), options.runtime());
    }

    @Test
    void dashDashEndsTheOptions() throws UsageException {
        assertEquals(Path.of("--odd.py"), parse("--", "--odd.py").source());
    }

    @Test
    void theLastColonSplitsATest() throws UsageException {
        assertEquals(new Options.TestFiles(Path.of("dir:1/in"), Path.of("out")), Options.TestFiles.parse("dir:1/in:out"));
    }

    @Test
    void mistakesAreNamedClearly() {
        assertEquals("name the program file to run", refusal());
        assertEquals("name the program file to run", refusal("--runtime", "python"));
        assertEquals("one program file only, but both a.py and b.py are given", refusal("a.py", "b.py"));
        assertEquals("unknown option --verbose", refusal("a.py", "--verbose"));
        assertEquals("unknown option -v", refusal("a.py", "-v"));
        assertEquals("--stdin needs a file", refusal("a.py", "--stdin"));
        assertEquals("--stdin needs a file", refusal("a.py", "--stdin", "--runtime", "python"));
        assertEquals("--runtime needs a runtime name (GET /v1/runtimes lists them)", refusal("a.py", "--runtime="));
        assertEquals("--stdin is given twice; the program has one stdin", refusal("a.py", "--stdin", "x", "--stdin", "y"));
        assertEquals("--test takes IN:OUT, an input file and an expected output file, not 'in.txt'",
                refusal("a.py", "--test", "in.txt"));
        assertEquals("--test takes IN:OUT, an input file and an expected output file, not 'in.txt:'",
                refusal("a.py", "--test", "in.txt:"));
        assertEquals("--stdin does not go with --test: each test's stdin is its IN file",
                refusal("a.py", "--stdin", "x", "--test", "i:o"));
    }

    @Test
    void aMistakeEndsTheRunWithStatusTwoAndTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

        int status = new Run(Map.of(), new PrintStream(new ByteArrayOutputStream()), errors, false)
                .execute(List.of("a.py", "--frobnicate"));

        assertEquals(2, status);
        assertEquals("crucible run: unknown option --frobnicate\n" + Options.USAGE + "\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpIsTheUsageOnStdoutAndStatusZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = new Run(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), false).execute(List.of("--help"));

        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(Options.USAGE + "\n"));
    }
}
