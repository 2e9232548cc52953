package dev.crucible.api.compat.judge0;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.http.StrictUtf8;
import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.Judge0SubmissionRequest;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.TestCase;
import dev.crucible.api.submission.RequestLimits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Judge0 submission as a Crucible one, checked as Judge0's model checks it ({@code app/models/submission.rb}),
 * with its messages, and against what Crucible can do: the bounds are Judge0's where Crucible applies
 * nothing of its own, Crucible's where it does. Refused: 422 with Rails' {@code {attribute: [messages]}}.
 */
final class Judge0Requests {
    static final BigDecimal MAX_CPU_EXTRA_TIME = new BigDecimal("5.0");
    static final long MAX_STACK_KB = 128_000;
    /** What every sandbox allows: more can be asked for in Judge0, not here. */
    static final long MAX_PROCESSES = Judge0Results.SANDBOX_PROCESSES;
    static final long MAX_FILE_SIZE_KB = Judge0Results.SANDBOX_FILE_SIZE_KB;
    static final int MAX_TEXT_OPTION = 512;

    private final Judge0Languages languages;
    private final ApiConfig.RunLimits limits;

    Judge0Requests(Judge0Languages languages, ApiConfig.RunLimits limits) {
        this.languages = languages;
        this.limits = limits;
    }

    /** Judge0's {@code {attribute: [messages]}}, in the order found. */
    private static final class Errors {
        private final Map<String, List<String>> byField = new LinkedHashMap<>();

        void add(String field, String message) {
            byField.computeIfAbsent(field, _ -> new ArrayList<>()).add(message);
        }

        void throwIfAny() {
            if (!byField.isEmpty()) {
                throw Judge0Refusal.invalid(byField);
            }
        }
    }

    /** As Rails' {@code to_sentence}: "A", "A and B", "A, B, and C". */
    static String sentence(List<String> words) {
        return switch (words.size()) {
            case 1 -> words.getFirst();
            case 2 -> words.get(0) + " and " + words.get(1);
            default -> String.join(", ", words.subList(0, words.size() - 1)) + ", and " + words.getLast();
        };
    }

    BigDecimal maxTimeSeconds() {
        return BigDecimal.valueOf(limits.maxWallTimeMs()).movePointLeft(3);
    }

    long maxMemoryKb() {
        return limits.maxMemoryMb() * 1024;
    }

    static long minMemoryKb() {
        return ApiConfig.RunLimits.MIN_MEMORY_MB * 1024;
    }

    static BigDecimal minTimeSeconds() {
        return BigDecimal.valueOf(ApiConfig.RunLimits.MIN_WALL_TIME_MS).movePointLeft(3);
    }

    /**
     * @param base64 whether {@code source_code}, {@code stdin} and {@code expected_output} are base64,
     *               as Judge0 reads them for {@code base64_encoded=true}
     */
    SubmissionRequest toSubmission(Judge0SubmissionRequest request, boolean base64) {
        Errors errors = new Errors();
        byte[] source = decoded(errors, "source_code", request.getSourceCode(), base64);
        if (request.getSourceCode() == null || source != null && new String(source, StandardCharsets.UTF_8).isBlank()) {
            errors.add("source_code", "can't be blank");
        }
        if (request.getLanguageId() == null) {
            errors.add("language_id", "can't be blank");
        }
        int runs = request.getNumberOfRuns() == null ? 1 : request.getNumberOfRuns();
        if (runs <= 0) {
            errors.add("number_of_runs", "must be greater than 0");
        } else if (runs > RequestLimits.RUNS) {
            errors.add("number_of_runs", "must be less than or equal to " + RequestLimits.RUNS);
        }
        BigDecimal maxTime = maxTimeSeconds();
        // Judge0's cpu_time_limit of 0 is isolate's "no CPU limit": only the wall limit applies then.
        if (request.getCpuTimeLimit() != null && request.getCpuTimeLimit().signum() != 0) {
            between(errors, "cpu_time_limit", request.getCpuTimeLimit(), minTimeSeconds(), maxTime);
        } else if (request.getCpuTimeLimit() != null) {
            between(errors, "cpu_time_limit", request.getCpuTimeLimit(), BigDecimal.ZERO, maxTime);
        }
        between(errors, "cpu_extra_time", request.getCpuExtraTime(), BigDecimal.ZERO, MAX_CPU_EXTRA_TIME);
        between(errors, "wall_time_limit", request.getWallTimeLimit(), BigDecimal.ONE, maxTime);
        between(errors, "memory_limit", request.getMemoryLimit(), BigDecimal.valueOf(minMemoryKb()), BigDecimal.valueOf(maxMemoryKb()));
        between(errors, "stack_limit", request.getStackLimit(), BigDecimal.ZERO, BigDecimal.valueOf(MAX_STACK_KB));
        if (request.getMaxProcessesAndOrThreads() != null && request.getMaxProcessesAndOrThreads().signum() <= 0) {
            errors.add("max_processes_and_or_threads", "must be greater than 0");
        } else {
            between(errors, "max_processes_and_or_threads", request.getMaxProcessesAndOrThreads(), BigDecimal.ZERO,
                    BigDecimal.valueOf(MAX_PROCESSES));
        }
        // Crucible limits each sandbox as a whole; per process and thread limits cannot be had.
        if (Boolean.TRUE.equals(request.getEnablePerProcessAndThreadTimeLimit())) {
            errors.add("enable_per_process_and_thread_time_limit", "this option cannot be enabled");
        }
        if (Boolean.TRUE.equals(request.getEnablePerProcessAndThreadMemoryLimit())) {
            errors.add("enable_per_process_and_thread_memory_limit", "this option cannot be enabled");
        }
        between(errors, "max_file_size", request.getMaxFileSize(), BigDecimal.ZERO, BigDecimal.valueOf(MAX_FILE_SIZE_KB));
        String compilerOptions = request.getCompilerOptions();
        if (compilerOptions != null && compilerOptions.length() > MAX_TEXT_OPTION) {
            errors.add("compiler_options", "is too long (maximum is " + MAX_TEXT_OPTION + " characters)");
        }
        String commandLine = request.getCommandLineArguments();
        if (commandLine != null && commandLine.length() > MAX_TEXT_OPTION) {
            errors.add("command_line_arguments", "is too long (maximum is " + MAX_TEXT_OPTION + " characters)");
        }
        Judge0Languages.Language language = request.getLanguageId() == null ? null
                : languages.byId(request.getLanguageId()).orElse(null);
        if (language == null) {
            errors.add("language_id", "language with id " + (request.getLanguageId() == null ? "" : request.getLanguageId())
                    + " doesn't exist");
        }
        // Split as the arguments are, and added to the runtime's compile command only where its manifest
        // allows each option (Crucible's check, worded by crucible()); never into a shell, as Judge0 does.
        List<String> compileOptions = List.of();
        if (compilerOptions != null && !compilerOptions.isBlank()) {
            compileOptions = CommandLine.split(compilerOptions).orElse(null);
            if (compileOptions == null) {
                errors.add("compiler_options", "has a quote that is not closed");
            } else if (language != null && !language.runtime().compiled()) {
                errors.add("compiler_options", "setting compiler options is only allowed for compiled languages");
            } else if (languages.takingCompilerOptions().isEmpty()) {
                errors.add("compiler_options", "setting compiler options is not allowed");
            } else if (language != null && !language.takesCompilerOptions()) {
                errors.add("compiler_options", "setting compiler options is only allowed for "
                        + sentence(languages.takingCompilerOptions()));
            }
        }
        List<String> args = List.of();
        if (commandLine != null && !commandLine.isBlank()) {
            args = CommandLine.split(commandLine).orElse(null);
            if (args == null) {
                errors.add("command_line_arguments", "has a quote that is not closed");
            }
        }
        if (request.getAdditionalFiles() != null && !request.getAdditionalFiles().isBlank()) {
            errors.add("additional_files", "setting additional files is not allowed");
        }
        if (Boolean.TRUE.equals(request.getEnableNetwork())) {
            errors.add("enable_network", "enabling network is not allowed");
        }
        byte[] expected = decoded(errors, "expected_output", request.getExpectedOutput(), base64);
        String expectedText = expected == null ? null : StrictUtf8.decode(expected).orElse(null);
        if (expected != null && expectedText == null) {
            errors.add("expected_output", "is not valid UTF-8");
        }
        byte[] stdin = decoded(errors, "stdin", request.getStdin(), base64);
        errors.throwIfAny();

        SubmissionRequest submission = new SubmissionRequest(language.runtime().name())
                .source(Base64.getEncoder().encodeToString(source)).sourceEncoding(InputEncoding.BASE64)
                .args(args)
                .compileOptions(compileOptions)
                .mergeStderr(Boolean.TRUE.equals(request.getRedirectStderrToStdout()));
        // Judge0 calls back whatever it is given; Crucible's checks of the address apply (crucible() words its refusal).
        if (request.getCallbackUrl() != null && !request.getCallbackUrl().isBlank()) {
            submission.callbackUrl(request.getCallbackUrl());
        }
        if (stdin != null) {
            submission.stdin(Base64.getEncoder().encodeToString(stdin)).stdinEncoding(InputEncoding.BASE64);
        }
        // Judge0 compares each run's stdout with the expected output: that is one Crucible test per run.
        if (expectedText != null) {
            for (int i = 1; i <= runs; i++) {
                submission.addTestsItem(new TestCase(expectedText).name("run " + i));
            }
        } else if (runs > 1) {
            submission.runs(runs);
        }
        Limits wanted = limits(request);
        return wanted == null ? submission : submission.limits(wanted);
    }

    /**
     * Crucible limits wall time: the run is killed at the smaller of the CPU and wall limits given.
     * Null when neither time nor memory is given, so that the runtime's defaults apply.
     */
    static Limits limits(Judge0SubmissionRequest request) {
        BigDecimal cpu = request.getCpuTimeLimit() == null || request.getCpuTimeLimit().signum() == 0 ? null : request.getCpuTimeLimit();
        BigDecimal wall = request.getWallTimeLimit();
        BigDecimal time = cpu == null ? wall : wall == null ? cpu : cpu.min(wall);
        Long wallTimeMs = time == null ? null : time.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
        Long memoryMb = request.getMemoryLimit() == null ? null
                : request.getMemoryLimit().divide(BigDecimal.valueOf(1024), 0, RoundingMode.CEILING).longValueExact();
        return wallTimeMs == null && memoryMb == null ? null : new Limits().wallTimeMs(wallTimeMs).memoryMb(memoryMb);
    }

    /** Judge0's numericality check, with Rails' messages; an absent value takes Judge0's default, which is within. */
    private static void between(Errors errors, String field, BigDecimal value, BigDecimal least, BigDecimal most) {
        if (value == null) {
            return;
        }
        if (value.compareTo(least) < 0) {
            errors.add(field, "must be greater than or equal to " + ruby(least));
        } else if (value.compareTo(most) > 0) {
            errors.add(field, "must be less than or equal to " + ruby(most));
        }
    }

    /** A bound as Ruby prints it: {@code 20.0} for a float, {@code 512000} for an integer. */
    private static String ruby(BigDecimal bound) {
        if (bound.scale() <= 0) {
            return bound.toPlainString();
        }
        String plain = bound.stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /**
     * A text attribute's bytes. Judge0 decodes base64 with Ruby's {@code decode64}, which skips what
     * is not base64 (newlines of MIME lines included) and needs no padding: so does the MIME decoder.
     */
    private static byte[] decoded(Errors errors, String field, String value, boolean base64) {
        try {
            return decoded(value, base64);
        } catch (IllegalArgumentException e) {
            errors.add(field, "is not valid base64");
            return null;
        }
    }

    static byte[] decoded(String value, boolean base64) {
        if (value == null) {
            return null;
        }
        return base64 ? Base64.getMimeDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
    }
}
