package dev.crucible.api.submission;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.SourceFile;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.TestCase;
import dev.crucible.queue.Job;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a submission request against the runtime catalog and every size and limit bound, and turns
 * it into a {@link Job}. All problems are collected and reported at once as a 422.
 */
final class SubmissionValidator {
    private final RuntimeCatalog catalog;
    private final ApiConfig.RunLimits maxima;

    SubmissionValidator(RuntimeCatalog catalog, ApiConfig.RunLimits maxima) {
        this.catalog = catalog;
        this.maxima = maxima;
    }

    Job validate(UUID submissionId, SubmissionRequest request) {
        if (request == null) {
            throw new ApiException.InvalidRequest(List.of(error("submission", "is null")));
        }
        if (request.getRuntime() == null) {
            throw new ApiException.InvalidRequest(List.of(error("runtime", "is missing")));
        }
        RuntimeManifest runtime = catalog.find(request.getRuntime())
                .orElseThrow(() -> new ApiException.UnknownRuntime(request.getRuntime()));
        if (request.getProject() != null) {
            return validateProject(submissionId, request, runtime);
        }
        List<FieldError> errors = new ArrayList<>();
        List<Job.JobFile> files = files(request, runtime, errors);
        byte[] stdin = request.getStdin() == null ? new byte[0] : SourceFiles.bytes(errors, "stdin", request.getStdin(), request.getStdinEncoding());
        if (stdin.length > RequestLimits.STDIN_BYTES) {
            errors.add(error("stdin", "is " + stdin.length + " bytes; at most " + RequestLimits.STDIN_BYTES));
        }
        List<String> args = args(errors, "args", request.getArgs());
        List<String> compileOptions = compileOptions(errors, request.getCompileOptions(), runtime);
        List<Job.JobTest> tests = tests(errors, request.getTests());
        int runs = request.getRuns() == null ? 1 : request.getRuns();
        if (runs < 1 || runs > RequestLimits.RUNS) {
            errors.add(error("runs", "is " + runs + "; allowed 1.." + RequestLimits.RUNS));
        } else if (runs > 1 && !tests.isEmpty()) {
            errors.add(error("runs", "cannot be combined with tests: each test runs once"));
        }
        List<String> outputFiles = outputFiles(errors, request.getOutputFiles(), !tests.isEmpty());
        long wall = wallTime(errors, request, runtime);
        long memory = memory(errors, request, runtime);
        if (!errors.isEmpty()) {
            throw new ApiException.InvalidRequest(errors);
        }
        Job.Comparison comparison = request.getCompare() == null ? Job.Comparison.TRAILING_WHITESPACE
                : Job.Comparison.valueOf(request.getCompare().name());
        // The job carries its worst case as its budget: admission bounds it per key, the executor stops past it.
        long sandboxMs = Job.worstCaseSandboxMs(tests.size(), runs, wall, runtime.compiled() ? runtime.compile().limits().wallTimeMs() : 0);
        return new Job(submissionId, runtime.name(), new Job.Code(files, files.getFirst().path(), compileOptions),
                new Job.Input(stdin, args),
                new Job.JobLimits(wall, memory, maxima.outputLimitBytes(), sandboxMs), new Job.Testing(tests, comparison),
                new Job.RunOptions(Boolean.TRUE.equals(request.getMergeStderr()), runs, outputFiles));
    }

    /**
     * A project: its archive and test command in place of files, args and compile options; one run,
     * so no tests, runs or output files of the request's own.
     */
    private Job validateProject(UUID submissionId, SubmissionRequest request, RuntimeManifest runtime) {
        List<FieldError> errors = new ArrayList<>();
        record Excluded(String field, boolean given) {}
        for (Excluded excluded : List.of(new Excluded("source", request.getSource() != null),
                new Excluded("files", request.getFiles() != null && !request.getFiles().isEmpty()),
                new Excluded("args", request.getArgs() != null && !request.getArgs().isEmpty()),
                new Excluded("compile_options", request.getCompileOptions() != null && !request.getCompileOptions().isEmpty()),
                new Excluded("tests", request.getTests() != null && !request.getTests().isEmpty()),
                new Excluded("runs", request.getRuns() != null && request.getRuns() != 1),
                new Excluded("output_files", request.getOutputFiles() != null && !request.getOutputFiles().isEmpty()))) {
            if (excluded.given()) {
                errors.add(error(excluded.field(), "cannot be combined with project: the project's archive and test command say it all"));
            }
        }
        Job.Project project = ProjectRequests.validate(errors, request.getProject());
        byte[] stdin = request.getStdin() == null ? new byte[0] : SourceFiles.bytes(errors, "stdin", request.getStdin(), request.getStdinEncoding());
        if (stdin.length > RequestLimits.STDIN_BYTES) {
            errors.add(error("stdin", "is " + stdin.length + " bytes; at most " + RequestLimits.STDIN_BYTES));
        }
        long wall = wallTime(errors, request, runtime);
        long memory = memory(errors, request, runtime);
        if (!errors.isEmpty()) {
            throw new ApiException.InvalidRequest(errors);
        }
        // One run of the test command, which builds what it needs: the runtime's compile step is not used.
        return new Job(submissionId, runtime.name(), Job.Code.of(project), new Job.Input(stdin, List.of()),
                new Job.JobLimits(wall, memory, maxima.outputLimitBytes(), Job.worstCaseSandboxMs(0, 1, wall, 0)),
                Job.Testing.NONE, new Job.RunOptions(Boolean.TRUE.equals(request.getMergeStderr()), 1, List.of()));
    }

    private long wallTime(List<FieldError> errors, SubmissionRequest request, RuntimeManifest runtime) {
        Long asked = request.getLimits() == null ? null : request.getLimits().getWallTimeMs();
        return limit(errors, "limits.wall_time_ms", asked, runtime.defaultLimits().wallTimeMs(),
                ApiConfig.RunLimits.MIN_WALL_TIME_MS, maxima.maxWallTimeMs());
    }

    private long memory(List<FieldError> errors, SubmissionRequest request, RuntimeManifest runtime) {
        Long asked = request.getLimits() == null ? null : request.getLimits().getMemoryMb();
        return limit(errors, "limits.memory_mb", asked, runtime.defaultLimits().memoryMb(),
                ApiConfig.RunLimits.MIN_MEMORY_MB, maxima.maxMemoryMb());
    }

    /** Only what the runtime's manifest allows, whole option by option: the compiler never sees anything else. */
    private static List<String> compileOptions(List<FieldError> errors, List<String> given, RuntimeManifest runtime) {
        List<String> options = given == null ? List.of() : given;
        if (options.isEmpty()) {
            return options;
        }
        if (!runtime.compiled()) {
            errors.add(error("compile_options", "are given, but " + runtime.name() + " has no compile step"));
            return options;
        }
        if (options.size() > RequestLimits.COMPILE_OPTIONS) {
            errors.add(error("compile_options", "has " + options.size() + " options; at most " + RequestLimits.COMPILE_OPTIONS));
            return options;
        }
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option == null || option.isEmpty() || option.length() > RequestLimits.COMPILE_OPTION_CHARS) {
                errors.add(error("compile_options[" + i + "]", "is " + (option == null ? "null" : option.length() + " characters")
                        + "; an option of 1.." + RequestLimits.COMPILE_OPTION_CHARS + " characters is expected"));
            } else if (!runtime.compile().allows(option)) {
                errors.add(error("compile_options[" + i + "]", "'" + option + "' is not an option " + runtime.name()
                        + " takes (GET /v1/runtimes lists the patterns it allows)"));
            }
        }
        return options;
    }

    private static List<String> outputFiles(List<FieldError> errors, List<String> given, boolean withTests) {
        List<String> paths = given == null ? List.of() : given;
        if (!paths.isEmpty() && withTests) {
            errors.add(error("output_files", "cannot be combined with tests"));
        }
        if (paths.size() > RequestLimits.OUTPUT_FILES) {
            errors.add(error("output_files", "has " + paths.size() + " paths; at most " + RequestLimits.OUTPUT_FILES));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            SourceFiles.checkPath(errors, "output_files[" + i + "]", paths.get(i), seen);
        }
        return paths;
    }

    static List<String> args(List<FieldError> errors, String field, List<String> given) {
        List<String> args = given == null ? List.of() : given;
        if (args.size() > RequestLimits.ARGS) {
            errors.add(error(field, "has " + args.size() + " items; at most " + RequestLimits.ARGS));
        }
        long argBytes = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = field + "[" + i + "]";
            if (arg == null) {
                errors.add(error(name, "is null"));
                continue;
            }
            int bytes = arg.getBytes(StandardCharsets.UTF_8).length;
            argBytes += bytes;
            if (arg.indexOf('\0') >= 0) {
                errors.add(error(name, "contains a NUL character, which no program argument can hold"));
            } else if (bytes > RequestLimits.ARG_BYTES) {
                errors.add(error(name, "is longer than " + RequestLimits.ARG_BYTES + " bytes"));
            }
        }
        if (argBytes > RequestLimits.ALL_ARGS_BYTES) {
            errors.add(error(field, "hold " + argBytes + " bytes together; at most " + RequestLimits.ALL_ARGS_BYTES));
        }
        return args;
    }

    private static List<Job.JobTest> tests(List<FieldError> errors, List<TestCase> given) {
        List<TestCase> cases = given == null ? List.of() : given;
        if (cases.size() > RequestLimits.TESTS) {
            errors.add(error("tests", "has " + cases.size() + " tests; at most " + RequestLimits.TESTS));
        }
        List<Job.JobTest> tests = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < cases.size(); i++) {
            TestCase test = cases.get(i);
            String field = "tests[" + i + "]";
            if (test == null) {
                errors.add(error(field, "is null"));
                continue;
            }
            String name = test.getName() == null ? "test " + (i + 1) : test.getName();
            if (name.length() > RequestLimits.TEST_NAME_CHARS) {
                errors.add(error(field + ".name", "is longer than " + RequestLimits.TEST_NAME_CHARS + " characters"));
            }
            byte[] stdin = test.getStdin() == null ? null : test.getStdin().getBytes(StandardCharsets.UTF_8);
            if (test.getExpectedOutput() == null) {
                errors.add(error(field + ".expected_output", "is missing"));
                continue;
            }
            byte[] expected = test.getExpectedOutput().getBytes(StandardCharsets.UTF_8);
            total += expected.length + (stdin == null ? 0 : stdin.length);
            List<String> args = test.getArgs() == null || test.getArgs().isEmpty() ? null : args(errors, field + ".args", test.getArgs());
            tests.add(new Job.JobTest(name, stdin, args, expected));
        }
        if (total > RequestLimits.ALL_TESTS_BYTES) {
            errors.add(error("tests", "hold " + total + " bytes of stdin and expected output; at most " + RequestLimits.ALL_TESTS_BYTES));
        }
        return tests;
    }

    private static List<Job.JobFile> files(SubmissionRequest request, RuntimeManifest runtime, List<FieldError> errors) {
        boolean hasSource = request.getSource() != null;
        List<SourceFile> given = request.getFiles() == null ? List.of() : request.getFiles();
        if (hasSource == !given.isEmpty()) {
            errors.add(error("source", "give exactly one of 'source' and 'files'"));
            return List.of(new Job.JobFile(runtime.sourceFile(), new byte[0]));
        }
        if (hasSource) {
            byte[] source = SourceFiles.bytes(errors, "source", request.getSource(), request.getSourceEncoding());
            if (source.length > RequestLimits.SOURCE_BYTES) {
                errors.add(error("source", "is " + source.length + " bytes; at most " + RequestLimits.SOURCE_BYTES));
            }
            return List.of(new Job.JobFile(runtime.sourceFile(), source));
        }
        List<Job.JobFile> files = SourceFiles.check(errors, "files", given, RequestLimits.FILES, RequestLimits.ALL_FILES_BYTES).stream()
                .map(file -> new Job.JobFile(file.path(), file.content())).toList();
        return files.isEmpty() ? List.of(new Job.JobFile(runtime.sourceFile(), new byte[0])) : files;
    }

    private static long limit(List<FieldError> errors, String field, Long asked, long fallback, long min, long max) {
        if (asked == null) {
            return Math.min(fallback, max);
        }
        if (asked < min || asked > max) {
            errors.add(error(field, "is " + asked + "; allowed " + min + ".." + max));
        }
        return asked;
    }

    private static FieldError error(String field, String message) {
        return new FieldError(field, message);
    }
}
