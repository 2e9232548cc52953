package dev.crucible.api.submission;

import dev.crucible.api.http.StrictUtf8;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.OutputEncoding;
import dev.crucible.api.model.OutputFile;
import dev.crucible.api.model.Provenance;
import dev.crucible.api.model.RunResult;
import dev.crucible.api.model.Score;
import dev.crucible.api.model.StageTimings;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.model.TestCaseResult;
import dev.crucible.api.model.TestResult;
import dev.crucible.api.model.Verdict;
import dev.crucible.queue.ExecutionEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/** Turns a stored submission into the API's {@link Submission}. */
public final class SubmissionView {
    private SubmissionView() {}

    static Submission of(SubmissionRecord r) {
        SubmissionRecord.Times times = r.times();
        Submission view = new Submission(r.id(), SubmissionStatus.fromValue(r.status().wireName()), r.runtime(), time(times.createdAt()))
                .limits(new Limits().wallTimeMs(r.limits().wallTimeLimitMs()).memoryMb(r.limits().memoryLimitMb()))
                .startedAt(time(times.startedAt()))
                .finishedAt(time(times.finishedAt()))
                .timings(timings(times.queueWaitMs(), r.outcome() == null ? null : r.outcome().context().timings()))
                .purgedAt(time(times.purgedAt()));
        if (!r.completed()) {
            return view;
        }
        if (times.purgedAt() != null) {
            return withoutOutputs(completed(view, r)).message(null);
        }
        return completed(view, r);
    }

    private static Submission completed(Submission view, SubmissionRecord r) {
        ExecutionEvent.Outcome o = r.outcome();
        ExecutionEvent.ProgramResult result = o.result();
        view.verdict(verdict(result.verdict()))
                .exitCode(result.exitCode())
                .signal(result.signal())
                .stdoutTruncatedBytes(o.output().stdoutTruncatedBytes())
                .stderrTruncatedBytes(o.output().stderrTruncatedBytes())
                .wallTimeMs(result.wallTimeMs())
                .message(o.diagnostics().message());
        view.cpuTimeMs(cpuTimeMs(result.usage())).peakMemoryKb(peakMemoryKb(result.usage()));
        for (ExecutionEvent.ProgramResult run : o.runs()) {
            view.addRunsItem(new RunResult(verdict(run.verdict())).exitCode(run.exitCode()).signal(run.signal())
                    .wallTimeMs(run.wallTimeMs()).cpuTimeMs(cpuTimeMs(run.usage())).peakMemoryKb(peakMemoryKb(run.usage())));
        }
        for (ExecutionEvent.OutputFile file : o.outputFiles()) {
            OutputFile item = new OutputFile(file.path());
            if (file.content() != null) {
                Text content = text(file.content());
                item.content(content.value()).encoding(content.encoding());
            }
            view.addOutputFilesItem(item);
        }
        Text stdout = text(o.output().stdout());
        view.stdout(stdout.value()).stdoutEncoding(stdout.encoding());
        Text stderr = text(o.output().stderr());
        view.stderr(stderr.value()).stderrEncoding(stderr.encoding());
        for (ExecutionEvent.TestOutcome t : o.tests()) {
            ExecutionEvent.ProgramResult tr = t.result();
            Text out = text(t.output().stdout());
            Text err = text(t.output().stderr());
            view.addTestsItem(new TestResult(t.name(), verdict(tr.verdict()))
                    .stdout(out.value()).stdoutEncoding(out.encoding()).stdoutTruncatedBytes(t.output().stdoutTruncatedBytes())
                    .stderr(err.value()).stderrEncoding(err.encoding()).stderrTruncatedBytes(t.output().stderrTruncatedBytes())
                    .exitCode(tr.exitCode()).signal(tr.signal()).wallTimeMs(tr.wallTimeMs())
                    .cpuTimeMs(cpuTimeMs(tr.usage())).peakMemoryKb(peakMemoryKb(tr.usage())));
        }
        for (ExecutionEvent.TestCaseOutcome c : o.testCases()) {
            view.addTestCasesItem(new TestCaseResult(c.name(), TestCaseResult.StatusEnum.fromValue(c.status().wireName()))
                    .classname(c.classname()).timeMs(c.timeMs()).message(c.message()));
        }
        if (r.score() != null) {
            view.score(new Score(r.score().passed(), r.score().total()));
        }
        ExecutionEvent.Provenance p = o.context().provenance();
        if (p != null) {
            ExecutionEvent.RuntimeImage ran = p.runtimeImage();
            view.provenance(new Provenance().runtime(ran.runtime()).runtimeVersion(ran.runtimeVersion()).image(ran.image())
                    .imageId(ran.imageId()).sandbox(p.sandbox()).executor(p.executor()).filesSha256(p.filesSha256())
                    .limits(new Limits().wallTimeMs(p.limits().wallTimeLimitMs()).memoryMb(p.limits().memoryLimitMb()))
                    .packages(p.packages().isEmpty() ? null : p.packages()));
        }
        if (o.diagnostics().compileOutput() != null) {
            Text compileOutput = text(o.diagnostics().compileOutput());
            view.compileOutput(compileOutput.value()).compileOutputEncoding(compileOutput.encoding());
        }
        return view;
    }

    private static Long cpuTimeMs(ExecutionEvent.Usage usage) {
        return usage == null ? null : usage.cpuTimeMs();
    }

    private static Long peakMemoryKb(ExecutionEvent.Usage usage) {
        return usage == null ? null : usage.peakMemoryKb();
    }

    private static Verdict verdict(dev.crucible.queue.Verdict verdict) {
        return Verdict.fromValue(verdict.wireName());
    }

    /** The queue wait once started, with the executor's figures once completed; null before it started. */
    private static StageTimings timings(Long queueWaitMs, ExecutionEvent.StageTimings t) {
        if (queueWaitMs == null && t == null) {
            return null;
        }
        StageTimings view = new StageTimings().queueWaitMs(queueWaitMs);
        if (t != null) {
            view.compileMs(t.compileMs()).createMs(t.createMs()).startMs(t.startMs()).runMs(t.runMs()).teardownMs(t.teardownMs())
                    .pool(t.pool() == null ? null : StageTimings.PoolEnum.fromValue(t.pool()));
        }
        return view;
    }

    /** A submission in a listing: no outputs, no per-test details, no output files; the score and runs stay. */
    static Submission summary(SubmissionRecord r) {
        return withoutOutputs(of(r));
    }

    private static Submission withoutOutputs(Submission view) {
        return view.stdout(null).stdoutEncoding(null).stdoutTruncatedBytes(null)
                .stderr(null).stderrEncoding(null).stderrTruncatedBytes(null)
                .compileOutput(null).compileOutputEncoding(null).tests(null).testCases(null).outputFiles(null);
    }

    public record Text(String value, OutputEncoding encoding) {}

    /** UTF-8 when the bytes are valid UTF-8 without NUL, otherwise the exact bytes in base64. */
    public static Text text(byte[] bytes) {
        byte[] raw = bytes == null ? new byte[0] : bytes;
        for (byte b : raw) {
            if (b == 0) {
                return base64(raw);
            }
        }
        return StrictUtf8.decode(raw).map(decoded -> new Text(decoded, OutputEncoding.UTF8)).orElseGet(() -> base64(raw));
    }

    private static Text base64(byte[] raw) {
        return new Text(Base64.getEncoder().encodeToString(raw), OutputEncoding.BASE64);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
