package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.queue.ExecutionEvent.TestCaseOutcome;
import dev.crucible.queue.ExecutionEvent.TestCaseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixtures are what the runtime images' own runners printed for small made-up suites. */
class ConsoleTestReportsTest {

    private static String fixture(String name) throws IOException {
        try (InputStream in = ConsoleTestReportsTest.class.getResourceAsStream("/console-reports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> summary(ConsoleTestReports.Read read) {
        return read.cases().stream().map(c -> c.classname() + "/" + c.name() + ":" + c.status().wireName()).toList();
    }

    private static TestCaseOutcome named(ConsoleTestReports.Read read, String name) {
        return read.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsGoTestJson() throws IOException {
        ConsoleTestReports.Read read = ConsoleTestReports.parse(fixture("go-test-json.txt"));
        assertEquals("go test -json", read.format());
        assertEquals(List.of("calc/TestAdd:passed", "calc/TestFail:failed", "calc/TestSkip:skipped",
                "calc/TestSub/inner:passed", "calc/TestSub:passed"), summary(read));
    }

    @Test
    void givesAFailedGoTestItsOwnOutput() throws IOException {
        String message = named(ConsoleTestReports.parse(fixture("go-test-json.txt")), "TestFail").message();
        assertTrue(message.contains("calc_test.go:6: got 3, want 2"), message);
    }

    @Test
    void readsNodeTapWithItsSuitesAsClasses() throws IOException {
        ConsoleTestReports.Read read = ConsoleTestReports.parse(fixture("node18-tap.txt"));
        assertEquals("TAP", read.format());
        assertEquals(List.of("math/adds:passed", "math/fails:failed", "null/top level:passed", "null/skipped:skipped"),
                summary(read));
    }

    @Test
    void givesAFailedTapPointItsErrorAndDuration() throws IOException {
        TestCaseOutcome fails = named(ConsoleTestReports.parse(fixture("node18-tap.txt")), "fails");
        assertTrue(fails.message().startsWith("Expected values to be strictly equal:"), fails.message());
        assertTrue(fails.message().contains("1 !== 2"), fails.message());
        assertEquals(3L, fails.timeMs());
    }

    @Test
    void readsLibtest() throws IOException {
        ConsoleTestReports.Read read = ConsoleTestReports.parse(fixture("rustc-test.txt"));
        assertEquals("libtest", read.format());
        assertEquals(List.of("tests/adds:passed", "tests/fails:failed", "tests/later:skipped"), summary(read));
    }

    @Test
    void givesAFailedLibtestCaseWhatItPrinted() throws IOException {
        String message = named(ConsoleTestReports.parse(fixture("rustc-test.txt")), "fails").message();
        assertTrue(message.startsWith("printed\nthread 'tests::fails' panicked"), message);
    }

    @Test
    void readsNothingFromOrdinaryOutput() {
        assertNull(ConsoleTestReports.parse("ok 1 - not TAP without a version or plan\ntest a ... ok\n{\"Action\":\"pass\"}\n"));
    }

    @Test
    void keepsAtMostTheCapOfCases() {
        StringBuilder output = new StringBuilder("running 10001 tests\n");
        for (int i = 0; i <= JunitReports.MAX_CASES; i++) {
            output.append("test t").append(i).append(" ... ok\n");
        }
        ConsoleTestReports.Read read = ConsoleTestReports.parse(output.toString());
        assertEquals(JunitReports.MAX_CASES, read.cases().size());
        assertTrue(read.truncated());
    }

    @Test
    void readsDeeplyNestedTapOnce() {
        // Each point one level deeper, then every group closing: every leaf is read once, under its nearest group.
        StringBuilder output = new StringBuilder("TAP version 13\n");
        int depth = 2_000;
        output.append("    ".repeat(depth)).append("ok 1 - leaf\n");
        for (int d = depth - 1; d >= 0; d--) {
            output.append("    ".repeat(d)).append("ok 1 - group").append(d).append('\n');
        }
        ConsoleTestReports.Read read = ConsoleTestReports.parse(output.toString());
        assertEquals(List.of("group" + (depth - 1) + "/leaf:passed"), summary(read));
        assertEquals(TestCaseStatus.PASSED, read.cases().getFirst().status());
    }
}
