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
import dev.crucible.api.model.TestResult;
import dev.crucible.api.model.Verdict;
import dev.crucible.queue.ExecutionEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/** Turns a stored submission into the API's {@link Submission}. */
final class SubmissionView {
    private SubmissionView() {}

    static Submission of(SubmissionRecord r) {
        Submission view = new Submission(r.id(), SubmissionStatus.fromValue(r.status().wireName()), r.runtime(), time(r.createdAt()))
                .limits(new Limits().wallTimeMs(r.wallTimeLimitMs()).memoryMb(r.memoryLimitMb()))
                .startedAt(time(r.startedAt()))
                .finishedAt(time(r.finishedAt()))
                .timings(timings(r));
        if (!r.completed()) {
            return view;
        }
        view.verdict(Verdict.fromValue(r.verdict()))
                .exitCode(r.exitCode())
                .signal(r.signal())
                .stdoutTruncatedBytes(r.stdoutTruncatedBytes())
                .stderrTruncatedBytes(r.stderrTruncatedBytes())
                .wallTimeMs(r.wallTimeMs())
                .message(r.message());
        view.cpuTimeMs(cpuTimeMs(r.usage())).peakMemoryKb(peakMemoryKb(r.usage()));
        for (ExecutionEvent.RunOutcome run : r.runs()) {
            view.addRunsItem(new RunResult(verdict(run.verdict())).exitCode(run.exitCode()).signal(run.signal())
                    .wallTimeMs(run.wallTimeMs()).cpuTimeMs(cpuTimeMs(run.usage())).peakMemoryKb(peakMemoryKb(run.usage())));
        }
        for (ExecutionEvent.OutputFile file : r.outputFiles()) {
            OutputFile item = new OutputFile(file.path());
            if (file.content() != null) {
                Text content = text(file.content());
                item.content(content.value()).encoding(content.encoding());
            }
            view.addOutputFilesItem(item);
        }
        Text stdout = text(r.stdout());
        view.stdout(stdout.value()).stdoutEncoding(stdout.encoding());
        Text stderr = text(r.stderr());
        view.stderr(stderr.value()).stderrEncoding(stderr.encoding());
        for (ExecutionEvent.TestOutcome t : r.tests()) {
            Text out = text(t.stdout());
            Text err = text(t.stderr());
            view.addTestsItem(new TestResult(t.name(), verdict(t.verdict()))
                    .stdout(out.value()).stdoutEncoding(out.encoding()).stdoutTruncatedBytes(t.stdoutTruncatedBytes())
                    .stderr(err.value()).stderrEncoding(err.encoding()).stderrTruncatedBytes(t.stderrTruncatedBytes())
                    .exitCode(t.exitCode()).signal(t.signal()).wallTimeMs(t.wallTimeMs())
                    .cpuTimeMs(cpuTimeMs(t.usage())).peakMemoryKb(peakMemoryKb(t.usage())));
        }
        if (r.testsTotal() != null) {
            view.score(new Score(r.testsPassed(), r.testsTotal()));
        }
        if (r.provenance() != null) {
            ExecutionEvent.Provenance p = r.provenance();
            view.provenance(new Provenance().runtime(p.runtime()).runtimeVersion(p.runtimeVersion()).image(p.image())
                    .imageId(p.imageId()).sandbox(p.sandbox()).executor(p.executor()).filesSha256(p.filesSha256())
                    .limits(new Limits().wallTimeMs(p.wallTimeMs()).memoryMb(p.memoryMb())));
        }
        if (r.compileOutput() != null) {
            Text compileOutput = text(r.compileOutput());
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
    private static StageTimings timings(SubmissionRecord r) {
        if (r.queueWaitMs() == null && r.timings() == null) {
            return null;
        }
        StageTimings view = new StageTimings().queueWaitMs(r.queueWaitMs());
        ExecutionEvent.StageTimings t = r.timings();
        if (t != null) {
            view.compileMs(t.compileMs()).createMs(t.createMs()).startMs(t.startMs()).runMs(t.runMs()).teardownMs(t.teardownMs());
        }
        return view;
    }

    /** A submission in a listing: no outputs, no per-test details, no output files; the score and runs stay. */
    static Submission summary(SubmissionRecord r) {
        return of(r).stdout(null).stdoutEncoding(null).stdoutTruncatedBytes(null)
                .stderr(null).stderrEncoding(null).stderrTruncatedBytes(null)
                .compileOutput(null).compileOutputEncoding(null).tests(null).outputFiles(null);
    }

    record Text(String value, OutputEncoding encoding) {}

    /** UTF-8 when the bytes are valid UTF-8 without NUL, otherwise the exact bytes in base64. */
    static Text text(byte[] bytes) {
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
