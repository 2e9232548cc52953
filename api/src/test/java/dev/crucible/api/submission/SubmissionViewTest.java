package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crucible.api.model.OutputEncoding;
import dev.crucible.api.model.StageTimings;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubmissionViewTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SubmissionRecord stored(String status, Long queueWaitMs, ExecutionEvent.StageTimings timings) {
        return stored(status, queueWaitMs, timings, null, List.of(), List.of());
    }

    private static SubmissionRecord stored(String status, Long queueWaitMs, ExecutionEvent.StageTimings timings,
                                           ExecutionEvent.Usage usage, List<ExecutionEvent.ProgramResult> runs,
                                           List<ExecutionEvent.OutputFile> outputFiles) {
        boolean completed = status.equals("completed");
        return new SubmissionRecord(UUID.randomUUID(), UUID.randomUUID(), Status.ofWireName(status), "python",
                new SubmissionRecord.Limits(5000, 256),
                new SubmissionRecord.Times(T0, queueWaitMs == null ? null : T0.plusMillis(queueWaitMs),
                        completed ? T0.plusSeconds(1) : null, queueWaitMs, null), null,
                completed ? Outcomes.accepted().wallTimeMs(120).usage(usage).runs(runs).outputFiles(outputFiles).timings(timings)
                        .at(T0.plusSeconds(1)).build() : null);
    }

    private static SubmissionRecord completedWith(ExecutionEvent.Usage usage, List<ExecutionEvent.ProgramResult> runs,
                                                  List<ExecutionEvent.OutputFile> outputFiles) {
        return stored("completed", 5L, null, usage, runs, outputFiles);
    }

    @Test
    void usageIsShownInMillisecondsAndKibibytes() {
        var view = SubmissionView.of(completedWith(new ExecutionEvent.Usage(42L, 3400), List.of(), List.of()));
        assertEquals(42L, view.getCpuTimeMs());
        assertEquals(3400L, view.getPeakMemoryKb());
    }

    @Test
    void eachRunKeepsItsOwnFigures() {
        var runs = List.of(new ExecutionEvent.ProgramResult(Verdict.ACCEPTED, 0, null, 100L, new ExecutionEvent.Usage(30L, 2000)),
                new ExecutionEvent.ProgramResult(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL", 1000L, new ExecutionEvent.Usage(990L, 2100)));
        var view = SubmissionView.of(completedWith(null, runs, List.of()));
        assertEquals(List.of(30L, 990L), view.getRuns().stream().map(r -> r.getCpuTimeMs()).toList());
        assertEquals(dev.crucible.api.model.Verdict.TIME_LIMIT_EXCEEDED, view.getRuns().get(1).getVerdict());
    }

    @Test
    void aMissingOutputFileComesBackWithoutContent() {
        var view = SubmissionView.of(completedWith(null, List.of(), List.of(new ExecutionEvent.OutputFile("gone.txt", null))));
        assertEquals("gone.txt", view.getOutputFiles().getFirst().getPath());
        assertNull(view.getOutputFiles().getFirst().getContent());
    }

    @Test
    void aBinaryOutputFileComesBackInBase64() {
        var view = SubmissionView.of(completedWith(null, List.of(),
                List.of(new ExecutionEvent.OutputFile("out.bin", new byte[] {0, (byte) 0xff}))));
        assertEquals("AP8=", view.getOutputFiles().getFirst().getContent());
        assertEquals(OutputEncoding.BASE64, view.getOutputFiles().getFirst().getEncoding());
    }

    @Test
    void aListingLeavesOutOutputFiles() {
        var view = SubmissionView.summary(completedWith(null, List.of(), List.of(new ExecutionEvent.OutputFile("a", new byte[] {1}))));
        assertNull(view.getOutputFiles());
    }

    @Test
    void purgedSubmissionShowsItsTombstoneWithoutOutputs() {
        Instant purgedAt = T0.plusSeconds(60);
        var purged = new SubmissionRecord(UUID.randomUUID(), UUID.randomUUID(), Status.COMPLETED, "python",
                new SubmissionRecord.Limits(5000, 256), new SubmissionRecord.Times(T0, T0, T0.plusSeconds(1), 5L, purgedAt), null,
                Outcomes.accepted().wallTimeMs(120).at(T0.plusSeconds(1)).build());
        var view = SubmissionView.of(purged);
        assertEquals(List.of(purgedAt, dev.crucible.api.model.Verdict.ACCEPTED, 120L, "python"),
                List.of(view.getPurgedAt().toInstant(), view.getVerdict(), view.getWallTimeMs(), view.getRuntime()));
        assertEquals(Arrays.asList(null, null, null, null, null),
                Arrays.asList(view.getStdout(), view.getStderr(), view.getTests(), view.getOutputFiles(), view.getCompileOutput()));
    }

    @Test
    void queuedSubmissionHasNoTimings() {
        assertNull(SubmissionView.of(stored("queued", null, null)).getTimings());
    }

    @Test
    void runningSubmissionShowsItsQueueWaitAlone() {
        assertEquals(new StageTimings().queueWaitMs(80L), SubmissionView.of(stored("running", 80L, null)).getTimings());
    }

    @Test
    void completedSubmissionShowsEveryStage() {
        var timings = new ExecutionEvent.StageTimings(900L, 40L, 12L, 130L, 25L, "hit");
        assertEquals(new StageTimings().queueWaitMs(80L).compileMs(900L).createMs(40L).startMs(12L).runMs(130L).teardownMs(25L)
                        .pool(StageTimings.PoolEnum.HIT),
                SubmissionView.of(stored("completed", 80L, timings)).getTimings());
    }

    @Test
    void listingsKeepTheTimings() {
        var timings = new ExecutionEvent.StageTimings(null, 40L, 12L, 130L, 25L, "miss");
        assertEquals(130L, SubmissionView.summary(stored("completed", 80L, timings)).getTimings().getRunMs());
    }
    @Test
    void validUtf8StaysText() {
        var text = SubmissionView.text("héllo ✓\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(OutputEncoding.UTF8, text.encoding());
        assertEquals("héllo ✓\n", text.value());
    }

    @Test
    void nulByteForcesBase64() {
        var text = SubmissionView.text(new byte[] {'a', 0, 'b'});
        assertEquals(OutputEncoding.BASE64, text.encoding());
        assertEquals("YQBi", text.value());
    }

    @Test
    void multiByteCharacterCutByTheCapForcesBase64() {
        byte[] check = "✓".getBytes(StandardCharsets.UTF_8);
        var text = SubmissionView.text(new byte[] {check[0], check[1]});
        assertEquals(OutputEncoding.BASE64, text.encoding());
    }
}
