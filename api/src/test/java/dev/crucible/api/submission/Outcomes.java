package dev.crucible.api.submission;

import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * Test data: an executor's outcome. Unless told otherwise the program exited 0 after 12 ms, now,
 * printing nothing, with no tests, runs, output files, provenance or timings.
 */
final class Outcomes {
    private final Verdict verdict;
    private Integer exitCode = 0;
    private byte[] stdout = new byte[0];
    private byte[] stderr = new byte[0];
    private long wallTimeMs = 12;
    private ExecutionEvent.Usage usage;
    private List<ExecutionEvent.ProgramResult> runs = List.of();
    private List<ExecutionEvent.OutputFile> outputFiles = List.of();
    private ExecutionEvent.StageTimings timings;
    private Instant at = Instant.now();

    private Outcomes(Verdict verdict) {
        this.verdict = verdict;
    }

    static Outcomes judged(Verdict verdict) {
        return new Outcomes(verdict);
    }

    static Outcomes accepted() {
        return judged(Verdict.ACCEPTED);
    }

    Outcomes stdout(byte[] kept) {
        stdout = kept;
        return this;
    }

    Outcomes stderr(byte[] kept) {
        stderr = kept;
        return this;
    }

    Outcomes wallTimeMs(long measured) {
        wallTimeMs = measured;
        return this;
    }

    Outcomes usage(ExecutionEvent.Usage measured) {
        usage = measured;
        return this;
    }

    Outcomes runs(List<ExecutionEvent.ProgramResult> each) {
        runs = each;
        return this;
    }

    Outcomes outputFiles(List<ExecutionEvent.OutputFile> found) {
        outputFiles = found;
        return this;
    }

    Outcomes timings(ExecutionEvent.StageTimings measured) {
        timings = measured;
        return this;
    }

    Outcomes at(Instant startedAndFinished) {
        at = startedAndFinished;
        return this;
    }

    ExecutionEvent.Outcome build() {
        return new ExecutionEvent.Outcome(new ExecutionEvent.ProgramResult(verdict, exitCode, null, wallTimeMs, usage),
                new ExecutionEvent.Output(stdout, 0, stderr, 0), ExecutionEvent.Diagnostics.NONE, List.of(), runs, outputFiles,
                new ExecutionEvent.Context(at, at, null, timings));
    }
}
