package dev.crucible.api.evaluation;

import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.EvaluationProblem;
import dev.crucible.api.model.EvaluationRequest;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.TestCase;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Checks an evaluation, all or nothing, and turns each problem into a {@link Template} that makes a
 * sample into the submission that grades it. Refused: a problem with no way or two ways of judging,
 * duplicate ids, too many samples, shared parts too large to copy into every sample, a sample the
 * submissions API would refuse. Each sample is checked as its submission and then dropped: an
 * evaluation is stored as its problems' templates and its samples, never as every program whole.
 */
final class SamplePrograms {
    /** Field errors reported at most; the rest are counted. */
    private static final int MAX_ERRORS = 20;
    private static final int MAX_ID_CHARS = 128;
    private static final int MAX_K = 16;
    /** A problem's prompt, test, check and tests together: they are copied into each of its samples' submissions. */
    static final int MAX_SHARED_BYTES = 64 << 10;
    /** Every sample's program and shared parts together: what the evaluation's submissions will hold. */
    static final long MAX_EXPANDED_BYTES = 256L << 20;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A problem, checked: its template and its samples as given. */
    record Problem(int index, String id, Template template, List<String> samples) {}

    /**
     * How a problem's samples become submissions: exactly one of tests, a check appended, or the
     * function-level format (test and entry point, with a prompt). Stored as JSON beside the samples.
     */
    record Template(String runtime, Limits limits, SubmissionRequest.CompareEnum compare, List<TestCase> tests,
                    String checkSource, String prompt, String test, String entryPoint) {
        /** The submission that grades {@code sample}. */
        SubmissionRequest request(String sample) {
            SubmissionRequest request = new SubmissionRequest().runtime(runtime).limits(limits);
            if (tests != null && !tests.isEmpty()) {
                return request.source(sample).tests(tests).compare(compare);
            }
            if (checkSource != null) {
                return request.source(sample + "\n\n" + checkSource + "\n");
            }
            // The function-level format (HumanEval's): prompt, completion, the test's check(), called on the entry point.
            return request.source((prompt == null ? "" : prompt) + sample + "\n\n" + test + "\n\ncheck(" + entryPoint + ")\n");
        }

        private long sharedBytes() {
            long bytes = utf8(checkSource) + utf8(prompt) + utf8(test) + utf8(entryPoint);
            for (TestCase t : tests == null ? List.<TestCase>of() : tests) {
                bytes += utf8(t.getName()) + utf8(t.getStdin()) + utf8(t.getExpectedOutput())
                        + (t.getArgs() == null ? 0 : t.getArgs().stream().mapToLong(SamplePrograms::utf8).sum());
            }
            return bytes;
        }
    }

    private final RuntimeCatalog catalog;
    private final int maxSamples;
    private final Consumer<SubmissionRequest> check;

    /** @param check refuses a request the submissions API would refuse, with its field errors */
    SamplePrograms(RuntimeCatalog catalog, int maxSamples, Consumer<SubmissionRequest> check) {
        this.catalog = catalog;
        this.maxSamples = maxSamples;
        this.check = check;
    }

    /** The k asked for; none given (the model reads an absent list as empty) is pass@1. */
    static List<Integer> ks(EvaluationRequest request) {
        return request.getK() == null || request.getK().isEmpty() ? List.of(1) : request.getK();
    }

    /** Every problem, checked, in the order given; throws {@link ApiException.InvalidRequest} naming each fault. */
    List<Problem> of(EvaluationRequest request) {
        Errors errors = new Errors();
        List<EvaluationProblem> problems = request.getProblems() == null ? List.of() : request.getProblems();
        if (problems.isEmpty()) {
            errors.add("problems", "at least one problem is needed");
        }
        List<Integer> ks = ks(request);
        if (ks.size() > MAX_K || ks.stream().anyMatch(k -> k == null || k < 1)) {
            errors.add("k", "1.." + MAX_K + " values, each at least 1");
        }
        int total = problems.stream().mapToInt(p -> p.getSamples() == null ? 0 : p.getSamples().size()).sum();
        if (total > maxSamples) {
            errors.add("problems", total + " samples in all; at most " + maxSamples + " in one evaluation");
        }
        RuntimeManifest runtime = request.getRuntime() == null ? null : catalog.find(request.getRuntime()).orElse(null);
        if (runtime == null) {
            errors.add("runtime", "'" + request.getRuntime() + "' is no runtime of this server; see GET /v1/runtimes");
        }
        errors.throwIfAny();
        Set<String> ids = new HashSet<>();
        List<Problem> checked = new ArrayList<>(problems.size());
        long expanded = 0;
        for (int i = 0; i < problems.size(); i++) {
            EvaluationProblem problem = problems.get(i);
            String at = "problems[" + i + "]";
            if (problem.getId() == null || problem.getId().isEmpty() || problem.getId().length() > MAX_ID_CHARS) {
                errors.add(at + ".id", "1.." + MAX_ID_CHARS + " characters");
            } else if (!ids.add(problem.getId())) {
                errors.add(at + ".id", "'" + problem.getId() + "' names an earlier problem too");
            }
            if (problem.getSamples() == null || problem.getSamples().isEmpty()) {
                errors.add(at + ".samples", "at least one sample is needed");
                continue;
            }
            Template template = template(request, problem, runtime, at, errors);
            if (template == null) {
                continue;
            }
            long shared = template.sharedBytes();
            if (shared > MAX_SHARED_BYTES) {
                errors.add(at, "its prompt, test, check_source and tests come to " + shared + " bytes; at most " + MAX_SHARED_BYTES
                        + ", as each of its samples' submissions holds them");
                continue;
            }
            for (int j = 0; j < problem.getSamples().size(); j++) {
                String sample = problem.getSamples().get(j);
                String sampleAt = at + ".samples[" + j + "]";
                if (sample == null) {
                    errors.add(sampleAt, "a sample is a string");
                    continue;
                }
                expanded += shared + utf8(sample);
                try {
                    check.accept(template.request(sample));
                } catch (ApiException.InvalidRequest refused) {
                    refused.errors().forEach(e -> errors.add(sampleAt + " (as a submission: " + e.getField() + ")", e.getMessage()));
                }
                if (errors.full()) {
                    errors.throwIfAny();
                }
            }
            checked.add(new Problem(i, problem.getId(), template, List.copyOf(problem.getSamples())));
        }
        if (expanded > MAX_EXPANDED_BYTES) {
            errors.add("problems", "the samples' programs come to " + expanded + " bytes in all; at most " + MAX_EXPANDED_BYTES);
        }
        errors.throwIfAny();
        return checked;
    }

    private static Template template(EvaluationRequest request, EvaluationProblem problem, RuntimeManifest runtime, String at,
                                     Errors errors) {
        boolean tests = problem.getTests() != null && !problem.getTests().isEmpty();
        boolean check = problem.getCheckSource() != null;
        boolean functionLevel = problem.getTest() != null || problem.getEntryPoint() != null;
        int ways = (tests ? 1 : 0) + (check ? 1 : 0) + (functionLevel ? 1 : 0);
        if (ways != 1) {
            errors.add(at, "give exactly one of tests, check_source, or test with entry_point (" + ways + " given)");
            return null;
        }
        SubmissionRequest.CompareEnum compare = request.getCompare() == null ? null
                : SubmissionRequest.CompareEnum.valueOf(request.getCompare().name());
        if (tests) {
            return new Template(request.getRuntime(), request.getLimits(), compare, problem.getTests(), null, null, null, null);
        }
        if (check) {
            return new Template(request.getRuntime(), request.getLimits(), null, null, problem.getCheckSource(), null, null, null);
        }
        if (problem.getTest() == null || problem.getEntryPoint() == null) {
            errors.add(at, "the function-level format needs both test and entry_point");
            return null;
        }
        if (!IDENTIFIER.matcher(problem.getEntryPoint()).matches()) {
            errors.add(at + ".entry_point", "a Python identifier, such as has_close_elements");
            return null;
        }
        if (!runtime.name().equals("python")) {
            errors.add(at, "the function-level format is Python's; this evaluation's runtime is " + runtime.name());
            return null;
        }
        return new Template(request.getRuntime(), request.getLimits(), null, null, null, problem.getPrompt(), problem.getTest(),
                problem.getEntryPoint());
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Field errors, the first {@link #MAX_ERRORS} named and the rest counted. */
    private static final class Errors {
        private final List<FieldError> named = new ArrayList<>();
        private int more;

        void add(String field, String message) {
            if (named.size() < MAX_ERRORS) {
                named.add(new FieldError(field, message));
            } else {
                more++;
            }
        }

        boolean full() {
            return named.size() >= MAX_ERRORS;
        }

        void throwIfAny() {
            if (named.isEmpty()) {
                return;
            }
            List<FieldError> all = new ArrayList<>(named);
            if (more > 0) {
                all.add(new FieldError("problems", more + " more errors like these"));
            }
            throw new ApiException.InvalidRequest(all);
        }
    }
}
