package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CPU time, peak memory, repeated runs and output files, through the public API on the real stack. */
class ResourceUsageIT {
    private final StackUnderTest stack = new StackUnderTest();

    @Test
    void cpuTimeOfABusyProgramIsReported() {
        var answer = stack.submit("""
                {"runtime":"python","source":"import time\\nend = time.monotonic() + 0.5\\nwhile time.monotonic() < end: pass"}""");
        long cpu = answer.body().path("cpu_time_ms").asLong(-1);
        assertTrue(cpu >= 300 && cpu < 1500, "half a second of spinning: " + answer.raw().body());
    }

    @Test
    void peakMemoryOfAnAllocationIsReported() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"x = bytearray(60 * 1024 * 1024)\"}");
        long peakKb = answer.body().path("peak_memory_kb").asLong(-1);
        assertTrue(peakKb >= 60 * 1024 && peakKb < 110 * 1024, "60 MiB allocated: " + answer.raw().body());
    }

    @Test
    void runningOutOfMemoryReportsAPeakNearTheLimit() {
        var answer = stack.submit("""
                {"runtime":"python","source":"a = []\\nwhile True: a.append(bytearray(10**6))","limits":{"memory_mb":64}}""");
        assertEquals("memory_limit_exceeded", answer.body().path("verdict").asText(), answer.raw().body());
        long peakKb = answer.body().path("peak_memory_kb").asLong(-1);
        assertTrue(peakKb > 32 * 1024 && peakKb <= 64 * 1024, "killed at 64 MiB: " + answer.raw().body());
    }

    @Test
    void eachTestReportsItsOwnUsage() {
        var answer = stack.submit("""
                {"runtime":"python","source":"import sys\\nx = bytearray(int(sys.stdin.read()) * 1024 * 1024)\\nprint('ok')",
                 "tests":[{"stdin":"1","expected_output":"ok"},{"stdin":"80","expected_output":"ok"}]}""");
        JsonNode tests = answer.body().path("tests");
        assertEquals(2, tests.size(), answer.raw().body());
        long small = tests.get(0).path("peak_memory_kb").asLong(-1);
        long large = tests.get(1).path("peak_memory_kb").asLong(-1);
        assertTrue(small >= 0 && large >= small + 70 * 1024, "1 MiB and 80 MiB tests: " + tests);
        assertTrue(tests.get(0).path("cpu_time_ms").isIntegralNumber(), tests.toString());
    }

    @Test
    void aProgramRunThreeTimesReportsEachRun() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print('hi')\",\"runs\":3}");
        JsonNode runs = answer.body().path("runs");
        assertEquals(3, runs.size(), answer.raw().body());
        List<String> verdicts = new ArrayList<>();
        for (JsonNode run : runs) {
            verdicts.add(run.path("verdict").asText());
            assertTrue(run.path("cpu_time_ms").isIntegralNumber() && run.path("peak_memory_kb").isIntegralNumber()
                    && run.path("wall_time_ms").isIntegralNumber(), run.toString());
        }
        assertEquals(List.of("accepted", "accepted", "accepted"), verdicts);
        assertEquals("hi\n", answer.body().path("stdout").asText());
    }

    @Test
    void aCompiledProgramRunTwiceIsCompiledOnce() {
        var answer = stack.submit("""
                {"runtime":"c","source":"#include <stdio.h>\\nint main(void) { puts(\\"hi\\"); return 0; }","runs":2}""");
        assertEquals(2, answer.body().path("runs").size(), answer.raw().body());
        assertTrue(answer.body().path("timings").path("compile_ms").isIntegralNumber(), answer.raw().body());
    }

    @Test
    void outputFilesComeBackWithTheResult() {
        var answer = stack.submit("""
                {"runtime":"python","source":"open('result.txt', 'w').write('42')\\nopen('raw.bin', 'wb').write(bytes([0, 255]))",
                 "output_files":["result.txt","raw.bin","missing.txt"]}""");
        JsonNode files = answer.body().path("output_files");
        assertEquals(3, files.size(), answer.raw().body());
        assertEquals("42", files.get(0).path("content").asText());
        assertEquals("AP8=", files.get(1).path("content").asText());
        assertEquals("base64", files.get(1).path("encoding").asText());
        assertFalse(files.get(2).has("content"), files.toString());
    }

    @Test
    void runsWithTestsAreRefused() {
        var answer = stack.submit("""
                {"runtime":"python","source":"print(1)","runs":2,"tests":[{"expected_output":"1"}]}""");
        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("runs", answer.body().path("errors").get(0).path("field").asText(), answer.raw().body());
    }

    @Test
    void anOutputFileOutsideTheWorkFolderIsRefused() {
        var answer = stack.submit("{\"runtime\":\"python\",\"source\":\"print(1)\",\"output_files\":[\"../etc/passwd\"]}");
        assertEquals(422, answer.status(), answer.raw().body());
        assertEquals("output_files[0]", answer.body().path("errors").get(0).path("field").asText(), answer.raw().body());
    }
}
