package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events as they travel on the event stream, old and new. */
class CodecTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Codec codec = new Codec();

    private static ExecutionEvent.Outcome accepted() {
        return new ExecutionEvent.Outcome(Verdict.ACCEPTED, 0, null, "hi\n".getBytes(), 0, new byte[0], 0, 120L,
                T0, T0.plusMillis(120), null, null, List.of(), null, null, null, List.of(), List.of());
    }

    private ExecutionEvent.Outcome roundTrip(ExecutionEvent.Outcome outcome) {
        var sent = new ExecutionEvent.Finished(UUID.randomUUID(), "executor-1", outcome);
        var read = assertInstanceOf(ExecutionEvent.Finished.class, codec.read(codec.write(sent), ExecutionEvent.class, "1-0"));
        return read.outcome();
    }

    @Test
    void timingsTravelWithTheOutcome() {
        var timings = new ExecutionEvent.StageTimings(900L, 40L, 12L, 130L, 25L);
        assertEquals(timings, roundTrip(accepted().withTimings(timings)).timings());
    }

    @Test
    void timingsWithoutACompileKeepItAbsent() {
        var timings = new ExecutionEvent.StageTimings(null, 40L, 12L, 130L, 25L);
        assertEquals(timings, roundTrip(accepted().withTimings(timings)).timings());
    }

    @Test
    void outcomeWithoutTimingsHasNone() {
        assertNull(roundTrip(accepted()).timings());
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
        assertEquals("hi\n", new String(read.outcome().stdout()));
        assertNull(read.outcome().timings());
    }
}
