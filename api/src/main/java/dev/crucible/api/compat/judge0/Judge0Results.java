package dev.crucible.api.compat.judge0;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.http.Json;
import dev.crucible.api.http.StrictUtf8;
import dev.crucible.api.model.Judge0Submission;
import dev.crucible.api.model.OutputEncoding;
import dev.crucible.api.model.RunResult;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.model.TestResult;
import dev.crucible.api.model.Verdict;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * A stored submission in Judge0 CE 1.13.1's shape. The figures and the status follow Judge0's
 * {@code isolate_job.rb}: {@code time} is CPU seconds and {@code memory} KB, averaged over the runs
 * made (which stop at the first one that is not accepted); the status comes from how the run ended.
 * Crucible keeps no source or input once a program has run, so those attributes are null, and the
 * limits shown are the ones that applied.
 */
final class Judge0Results {
    /** Rails writes times with milliseconds, and the official Python SDK parses exactly that. */
    private static final DateTimeFormatter RAILS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    /** What every sandbox allows, whatever a request says (docs/api.md: Limits). */
    static final int SANDBOX_PROCESSES = 64;
    static final int SANDBOX_FILE_SIZE_KB = 64 << 10;

    private Judge0Results() {}

    /** Judge0 writes every attribute asked for, null or not. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private interface NullsWritten {}

    /** Writes Judge0's answers as Judge0 does: nulls included. */
    static ObjectMapper writer() {
        return Json.mapper().addMixIn(Judge0Submission.class, NullsWritten.class);
    }

    /** Its output is not UTF-8 and was asked for as text: Judge0 refuses to write it so. */
    static final class Unconvertible extends RuntimeException {
        private final UUID token;

        Unconvertible(UUID token) {
            super("some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query parameter",
                    null, false, false);
            this.token = token;
        }

        UUID token() {
            return token;
        }
    }

    /**
     * What one shown run was, once the submission completed: with tests (Judge0's expected output,
     * once per run) the first that failed, else the last; with repeated runs the one Crucible shows.
     */
    record Shown(Verdict verdict, Integer exitCode, String signal, Usage usage, byte[] stdout, byte[] stderr, int runs) {}

    /**
     * The figures Judge0 reports as {@code wall_time}, {@code time} and {@code memory}.
     *
     * @param wallMs   the shown run's
     * @param cpuMs    the average over the runs made, as Judge0 averages {@code time}
     * @param memoryKb the average over the runs made
     */
    record Usage(Long wallMs, Double cpuMs, Double memoryKb) {}

    /**
     * The submission with every attribute; {@link Judge0Fields#select} picks what an answer carries.
     *
     * @param base64 whether the outputs (and message) are written base64, as Judge0 writes them for {@code base64_encoded=true}
     * @param fields what is asked for: only those must be writable as text when {@code base64} is false
     * @throws Unconvertible when an output asked for as text is not UTF-8
     */
    static Judge0Submission of(Submission submission, Judge0Languages languages, boolean base64, Judge0Fields fields) {
        Judge0StatusCode status = status(submission);
        var language = languages.ofRuntime(submission.getRuntime());
        long wallLimitMs = submission.getLimits() == null || submission.getLimits().getWallTimeMs() == null ? 0
                : submission.getLimits().getWallTimeMs();
        Judge0Submission view = new Judge0Submission()
                .token(submission.getId())
                .languageId(language.map(Judge0Languages.Language::id).orElse(null))
                .language(language.map(Judge0Languages.Language::summary).orElse(null))
                .statusId(status.id())
                .status(status.view())
                .createdAt(railsTime(submission.getCreatedAt()))
                .finishedAt(railsTime(submission.getFinishedAt()))
                .cpuTimeLimit(seconds((double) wallLimitMs))
                .cpuExtraTime("0.0")
                .wallTimeLimit(seconds((double) wallLimitMs))
                .memoryLimit(submission.getLimits() == null || submission.getLimits().getMemoryMb() == null ? null
                        : Math.toIntExact(submission.getLimits().getMemoryMb() * 1024))
                .maxProcessesAndOrThreads(SANDBOX_PROCESSES)
                .maxFileSize(SANDBOX_FILE_SIZE_KB)
                .enablePerProcessAndThreadTimeLimit(false)
                .enablePerProcessAndThreadMemoryLimit(false)
                .enableNetwork(false)
                .numberOfRuns(1);
        Text text = new Text(base64, fields, submission.getId());
        view.message(text.of("message", message(submission, status)));
        if (submission.getStatus() != SubmissionStatus.COMPLETED) {
            return view;
        }
        view.compileOutput(text.of("compile_output", bytes(submission.getCompileOutput(), submission.getCompileOutputEncoding())));
        if (status == Judge0StatusCode.COMPILATION_ERROR || status == Judge0StatusCode.INTERNAL_ERROR) {
            return view; // nothing ran: Judge0 leaves time, memory, output and exit status null
        }
        Shown shown = shown(submission);
        Usage usage = shown.usage();
        return view.numberOfRuns(shown.runs())
                .stdout(text.of("stdout", shown.stdout()))
                .stderr(text.of("stderr", shown.stderr()))
                .time(seconds(usage.cpuMs()))
                .wallTime(seconds(usage.wallMs() == null ? null : usage.wallMs().doubleValue()))
                .memory(usage.memoryKb() == null ? null : (int) Math.floor(usage.memoryKb()))
                .exitCode(shown.signal() == null ? Objects.requireNonNullElse(shown.exitCode(), 0) : 0)
                .exitSignal(shown.signal() == null ? null : Judge0StatusCode.SIGNALS.get(shown.signal()));
    }

    /** Writes outputs as Judge0 does: null when empty, else base64 (Ruby's {@code encode64}) or text. */
    private record Text(boolean base64, Judge0Fields fields, UUID token) {
        String of(String field, byte[] bytes) {
            if (bytes == null || bytes.length == 0) {
                return null;
            }
            if (base64) {
                return encode64(bytes);
            }
            String decoded = StrictUtf8.decode(bytes).orElse(null);
            if (decoded == null && fields.has(field)) {
                throw new Unconvertible(token);
            }
            return decoded;
        }

        String of(String field, String message) {
            return message == null ? null : of(field, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    static Judge0StatusCode status(Submission submission) {
        return switch (submission.getStatus()) {
            case QUEUED -> Judge0StatusCode.IN_QUEUE;
            case RUNNING -> Judge0StatusCode.PROCESSING;
            case CANCELLED -> Judge0StatusCode.INTERNAL_ERROR;
            case COMPLETED -> {
                if (submission.getVerdict() == Verdict.COMPILE_ERROR || submission.getVerdict() == Verdict.INTERNAL_ERROR
                        || submission.getVerdict() == null) {
                    yield submission.getVerdict() == Verdict.COMPILE_ERROR ? Judge0StatusCode.COMPILATION_ERROR
                            : Judge0StatusCode.INTERNAL_ERROR;
                }
                Shown shown = shown(submission);
                // Stopped at its sandbox-time budget, a submission whose runs so far all passed is not accepted: not all ran.
                Verdict verdict = shown.verdict() == Verdict.ACCEPTED ? submission.getVerdict() : shown.verdict();
                yield ofRun(verdict, shown.exitCode(), shown.signal());
            }
        };
    }

    /** Judge0's {@code determine_status} for how one run ended. */
    static Judge0StatusCode ofRun(Verdict verdict, Integer exitCode, String signal) {
        return switch (verdict) {
            case ACCEPTED -> Judge0StatusCode.ACCEPTED;
            case WRONG_ANSWER -> Judge0StatusCode.WRONG_ANSWER;
            case TIME_LIMIT_EXCEEDED -> Judge0StatusCode.TIME_LIMIT_EXCEEDED;
            case COMPILE_ERROR -> Judge0StatusCode.COMPILATION_ERROR;
            case INTERNAL_ERROR -> Judge0StatusCode.INTERNAL_ERROR;
            // Judge0 limits output by the size of the file it goes to: past it the program gets SIGXFSZ.
            case OUTPUT_LIMIT_EXCEEDED -> Judge0StatusCode.SIGXFSZ;
            // Out of memory, Judge0's cgroup kills the program with SIGKILL: a signal of no status of its own.
            case MEMORY_LIMIT_EXCEEDED -> Judge0StatusCode.OTHER;
            case RUNTIME_ERROR -> signal != null && Judge0StatusCode.SIGNALS.containsKey(signal)
                    ? Judge0StatusCode.ofSignal(Judge0StatusCode.SIGNALS.get(signal))
                    : Judge0StatusCode.NZEC;
        };
    }

    /** What isolate says of a run, in Judge0's {@code message}; Crucible's own message when it has one. */
    private static String message(Submission submission, Judge0StatusCode status) {
        if (submission.getStatus() == SubmissionStatus.CANCELLED) {
            return "the submission was cancelled";
        }
        if (submission.getStatus() != SubmissionStatus.COMPLETED || status == Judge0StatusCode.COMPILATION_ERROR) {
            return null;
        }
        if (submission.getMessage() != null) {
            return submission.getMessage();
        }
        Shown shown = shown(submission);
        return switch (status) {
            case TIME_LIMIT_EXCEEDED -> "Time limit exceeded";
            case SIGXFSZ -> shown.verdict() == Verdict.OUTPUT_LIMIT_EXCEEDED ? "Output limit exceeded" : "Caught fatal signal 25";
            case OTHER -> shown.verdict() == Verdict.MEMORY_LIMIT_EXCEEDED ? "Memory limit exceeded"
                    : shown.signal() == null ? null : "Caught fatal signal " + Judge0StatusCode.SIGNALS.get(shown.signal());
            case SIGSEGV, SIGFPE, SIGABRT -> "Caught fatal signal " + Judge0StatusCode.SIGNALS.get(shown.signal());
            case NZEC -> "Exited with error status " + shown.exitCode();
            default -> null;
        };
    }

    /** The run shown, and the figures of the runs made up to it. */
    static Shown shown(Submission s) {
        List<TestResult> tests = s.getTests() == null ? List.of() : s.getTests();
        if (!tests.isEmpty()) {
            int shown = firstNotAccepted(tests, TestResult::getVerdict, tests.size() - 1);
            List<TestResult> made = tests.subList(0, shown + 1);
            TestResult t = tests.get(shown);
            Usage usage = new Usage(t.getWallTimeMs(), average(made, TestResult::getCpuTimeMs),
                    average(made, TestResult::getPeakMemoryKb));
            return new Shown(t.getVerdict(), t.getExitCode(), t.getSignal(), usage,
                    bytes(t.getStdout(), t.getStdoutEncoding()), bytes(t.getStderr(), t.getStderrEncoding()), tests.size());
        }
        byte[] stdout = bytes(s.getStdout(), s.getStdoutEncoding());
        byte[] stderr = bytes(s.getStderr(), s.getStderrEncoding());
        List<RunResult> runs = s.getRuns() == null ? List.of() : s.getRuns();
        if (runs.size() > 1) {
            List<RunResult> made = runs.subList(0, firstNotAccepted(runs, RunResult::getVerdict, runs.size() - 1) + 1);
            Usage usage = new Usage(s.getWallTimeMs(), average(made, RunResult::getCpuTimeMs),
                    average(made, RunResult::getPeakMemoryKb));
            return new Shown(s.getVerdict(), s.getExitCode(), s.getSignal(), usage, stdout, stderr, runs.size());
        }
        Usage usage = new Usage(s.getWallTimeMs(), s.getCpuTimeMs() == null ? null : s.getCpuTimeMs().doubleValue(),
                s.getPeakMemoryKb() == null ? null : s.getPeakMemoryKb().doubleValue());
        return new Shown(s.getVerdict(), s.getExitCode(), s.getSignal(), usage, stdout, stderr, 1);
    }

    private static <T> int firstNotAccepted(List<T> runs, Function<T, Verdict> verdict, int otherwise) {
        for (int i = 0; i < runs.size(); i++) {
            if (verdict.apply(runs.get(i)) != Verdict.ACCEPTED) {
                return i;
            }
        }
        return otherwise;
    }

    private static <T> Double average(List<T> runs, Function<T, Long> figure) {
        List<Long> known = new ArrayList<>();
        for (T run : runs) {
            Long value = figure.apply(run);
            if (value != null) {
                known.add(value);
            }
        }
        return known.isEmpty() ? null : known.stream().mapToLong(Long::longValue).average().orElseThrow();
    }

    private static byte[] bytes(String value, OutputEncoding encoding) {
        if (value == null) {
            return null;
        }
        return encoding == OutputEncoding.BASE64 ? Base64.getDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
    }

    /** Milliseconds as Judge0's decimal seconds, a string as Rails writes a decimal: {@code "0.042"}, {@code "2.0"}. */
    static String seconds(Double ms) {
        if (ms == null) {
            return null;
        }
        String plain = BigDecimal.valueOf(Math.round(ms)).movePointLeft(3).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    static String railsTime(OffsetDateTime time) {
        return time == null ? null : RAILS_TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** Ruby's {@code Base64.encode64}, which Judge0 writes with: MIME lines of 60 characters, each ended by a newline. */
    static String encode64(byte[] bytes) {
        String lines = Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(bytes);
        return lines + "\n";
    }
}
