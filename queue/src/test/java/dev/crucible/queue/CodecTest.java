package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events as they travel on the event stream, old and new. */
class CodecTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Codec codec = new Codec();

    private static ExecutionEvent.Outcome accepted() {
        return new ExecutionEvent.Outcome(new ExecutionEvent.ProgramResult(Verdict.ACCEPTED, 0, null, 120L, null),
                new ExecutionEvent.Output("hi\n".getBytes(), 0, new byte[0], 0), ExecutionEvent.Diagnostics.NONE,
                List.of(), List.of(), List.of(), new ExecutionEvent.Context(T0, T0.plusMillis(120), null, null));
    }

    private ExecutionEvent.Outcome roundTrip(ExecutionEvent.Outcome outcome) {
        var sent = new ExecutionEvent.Finished(UUID.randomUUID(), "executor-1", outcome);
        var read = assertInstanceOf(ExecutionEvent.Finished.class, codec.read(codec.write(sent), ExecutionEvent.class, "1-0"));
        return read.outcome();
    }

    @Test
    void timingsTravelWithTheOutcome() {
        var timings = new ExecutionEvent.StageTimings(900L, 40L, 12L, 130L, 25L, "hit");
        assertEquals(timings, roundTrip(accepted().ranOn(null, timings)).context().timings());
    }

    @Test
    void timingsWithoutACompileKeepItAbsent() {
        var timings = new ExecutionEvent.StageTimings(null, 40L, 12L, 130L, 25L, null);
        assertEquals(timings, roundTrip(accepted().ranOn(null, timings)).context().timings());
    }

    @Test
    void outcomeWithoutTimingsHasNone() {
        assertNull(roundTrip(accepted()).context().timings());
    }

    @Test
    void eventOfAnExecutorOlderThanTimingsIsStillRead() {
        String before = """
                {"type":"finished","submissionId":"5f0c7d8e-0000-4000-8000-000000000001","executor":"executor-1",
                 "outcome":{"verdict":"ACCEPTED","exitCode":0,"signal":null,"stdout":"aGkK","stdoutTruncatedBytes":0,
                            "stderr":"","stderrTruncatedBytes":0,"wallTimeMs":120,"startedAt":"2026-01-01T00:00:00Z",
                            "finishedAt":"2026-01-01T00:00:00.120Z","message":null,"compileOutput":null,"tests":[],
                            "provenance":null}}""";
        var read = assertInstanceOf(ExecutionEvent.Finished.class, codec.read(before, ExecutionEvent.class, "1-0"));
        assertEquals(Verdict.ACCEPTED, read.outcome().verdict());
        assertEquals("hi\n", new String(read.outcome().output().stdout()));
        assertNull(read.outcome().context().timings());
    }

    @Test
    void outcomeTravelsAsOneFlatObject() throws Exception {
        var image = new ExecutionEvent.RuntimeImage("python", "3.11", "crucible/python", "sha256:x");
        var provenance = new ExecutionEvent.Provenance(image, "runsc", "executor-1", "abc", new ExecutionEvent.Limits(5000, 256),
                List.of("python3-minimal=3.11.2-6"));
        String json = codec.write(new ExecutionEvent.Finished(UUID.randomUUID(), "executor-1", accepted().ranOn(provenance, null)));
        var outcome = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("outcome");
        for (String field : List.of("verdict", "exitCode", "signal", "wallTimeMs", "usage", "stdout", "stdoutTruncatedBytes",
                "stderr", "stderrTruncatedBytes", "startedAt", "finishedAt", "message", "compileOutput", "tests", "runs",
                "outputFiles", "provenance", "timings")) {
            assertTrue(outcome.has(field), field + " in " + outcome);
        }
        assertEquals(5000, outcome.get("provenance").get("wallTimeMs").asLong(), "the limit keeps its wire name");
        assertEquals(9 + 9, outcome.size(), "no nesting on the wire: " + outcome);
    }

    @Test
    void eventOfAnExecutorBeforeTheNestedModelIsStillRead() {
        String before = """
                {"type":"finished","submissionId":"5f0c7d8e-0000-4000-8000-000000000001","executor":"executor-1",
                 "outcome":{"verdict":"TIME_LIMIT_EXCEEDED","exitCode":null,"signal":"SIGKILL","stdout":"","stdoutTruncatedBytes":0,
                            "stderr":"aGkK","stderrTruncatedBytes":7,"wallTimeMs":1000,"startedAt":"2026-01-01T00:00:00Z",
                            "finishedAt":"2026-01-01T00:00:01Z","message":null,"compileOutput":null,
                            "tests":[{"name":"a","verdict":"ACCEPTED","exitCode":0,"signal":null,"stdout":"","stdoutTruncatedBytes":0,
                                      "stderr":"","stderrTruncatedBytes":0,"wallTimeMs":5,"usage":{"cpuTimeMs":3,"peakMemoryKb":100}}],
                            "provenance":{"runtime":"python","runtimeVersion":"3.11","image":"i","imageId":"sha256:x",
                                          "sandbox":"runsc","executor":"executor-1","filesSha256":"abc","wallTimeMs":1000,"memoryMb":64},
                            "timings":null,"usage":{"cpuTimeMs":990,"peakMemoryKb":2048},
                            "runs":[{"verdict":"ACCEPTED","exitCode":0,"signal":null,"wallTimeMs":10,"usage":null}],
                            "outputFiles":[{"path":"out.txt","content":"aGkK"}]}}""";
        var read = assertInstanceOf(ExecutionEvent.Finished.class, codec.read(before, ExecutionEvent.class, "1-0")).outcome();
        assertEquals(new ExecutionEvent.ProgramResult(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL", 1000L,
                new ExecutionEvent.Usage(990L, 2048)), read.result());
        assertEquals(7, read.output().stderrTruncatedBytes());
        assertEquals(new ExecutionEvent.Usage(3L, 100), read.tests().getFirst().result().usage());
        assertEquals(1000, read.context().provenance().limits().wallTimeLimitMs());
        assertEquals(64, read.context().provenance().limits().memoryLimitMb());
        assertEquals(Verdict.ACCEPTED, read.runs().getFirst().verdict());
        assertEquals("out.txt", read.outputFiles().getFirst().path());
    }

    @Test
    void anOutputChunkOfTheFirstTestKeepsItsIndex() {
        OutputChunk chunk = new OutputChunk(OutputChunk.Stage.RUN, 0, null, null, OutputChunk.Stream.STDOUT, "ab\n", false);
        String wire = codec.write(chunk);
        assertEquals(chunk, codec.read(wire, OutputChunk.class, "1-0"));
        assertEquals("{\"stage\":\"run\",\"test\":0,\"stream\":\"stdout\",\"text\":\"ab\\n\",\"capped\":false}", wire);
    }

    @Test
    void anOutputChunkOfASessionCommandNamesIt() {
        UUID command = UUID.fromString("0b9e0000-0000-4000-8000-000000000001");
        OutputChunk chunk = new OutputChunk(OutputChunk.Stage.RUN, null, null, command, OutputChunk.Stream.STDERR, "x", true);
        assertEquals(chunk, codec.read(codec.write(chunk), OutputChunk.class, "1-0"));
    }
}
