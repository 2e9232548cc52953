package dev.crucible.api.evaluation;

import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.EvaluationProblem;
import dev.crucible.api.model.EvaluationRequest;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns an evaluation's problems into one submission request per sample, and refuses, all or
 * nothing, what could not be graded: a problem with no way or two ways of judging, duplicate ids,
 * too many samples, or a sample the submissions API would refuse.
 */
final class SamplePrograms {
    /** Field errors reported at most; the rest are counted. */
    private static final int MAX_ERRORS = 20;
    private static final int MAX_ID_CHARS = 128;
    private static final int MAX_K = 16;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** One sample, as the submission that grades it. */
    record Sample(int problemIndex, String problemId, int sampleIndex, SubmissionRequest request) {}

    private final RuntimeCatalog catalog;
    private final int maxSamples;
    private final Consumer<SubmissionRequest> check;

    /** @param check refuses a request the submissions API would refuse, with its field errors */
    SamplePrograms(RuntimeCatalog catalog, int maxSamples, Consumer<SubmissionRequest> check) {
        this.catalog = catalog;
        this.maxSamples = maxSamples;
        this.check = check;
    }

    /** Every sample in the order given, problem by problem; throws {@link ApiException.InvalidRequest} naming each fault. */
    List<Sample> of(EvaluationRequest request) {
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
        List<Sample> samples = new ArrayList<>(total);
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
            Judging judging = judging(problem, runtime, at, errors);
            if (judging == null) {
                continue;
            }
            for (int j = 0; j < problem.getSamples().size(); j++) {
                String sample = problem.getSamples().get(j);
                String sampleAt = at + ".samples[" + j + "]";
                if (sample == null) {
                    errors.add(sampleAt, "a sample is a string");
                    continue;
                }
                SubmissionRequest submission = judging.request(sample, request);
                try {
                    check.accept(submission);
                    samples.add(new Sample(i, problem.getId(), j, submission));
                } catch (ApiException.InvalidRequest refused) {
                    refused.errors().forEach(e -> errors.add(sampleAt + " (as a submission: " + e.getField() + ")", e.getMessage()));
                }
                if (errors.full()) {
                    errors.throwIfAny();
                }
            }
        }
        errors.throwIfAny();
        return samples;
    }

    /** The k asked for; none given (the model reads an absent list as empty) is pass@1. */
    static List<Integer> ks(EvaluationRequest request) {
        return request.getK() == null || request.getK().isEmpty() ? List.of(1) : request.getK();
    }

    /** How a problem judges its samples: exactly one way. */
    private sealed interface Judging {
        SubmissionRequest request(String sample, EvaluationRequest evaluation);
    }

    private record ByTests(EvaluationProblem problem) implements Judging {
        @Override
        public SubmissionRequest request(String sample, EvaluationRequest evaluation) {
            return base(evaluation, sample).tests(problem.getTests())
                    .compare(evaluation.getCompare() == null ? null : SubmissionRequest.CompareEnum.valueOf(evaluation.getCompare().name()));
        }
    }

    private record ByCheck(String checkSource) implements Judging {
        @Override
        public SubmissionRequest request(String sample, EvaluationRequest evaluation) {
            return base(evaluation, sample + "\n\n" + checkSource + "\n");
        }
    }

    /** The function-level format (HumanEval's): prompt, completion, the test's check(), called on the entry point. */
    private record FunctionLevel(String prompt, String test, String entryPoint) implements Judging {
        @Override
        public SubmissionRequest request(String sample, EvaluationRequest evaluation) {
            return base(evaluation, prompt + sample + "\n\n" + test + "\n\ncheck(" + entryPoint + ")\n");
        }
    }

    private static SubmissionRequest base(EvaluationRequest evaluation, String source) {
        return new SubmissionRequest().runtime(evaluation.getRuntime()).source(source).limits(evaluation.getLimits());
    }

    private static Judging judging(EvaluationProblem problem, RuntimeManifest runtime, String at, Errors errors) {
        boolean tests = problem.getTests() != null && !problem.getTests().isEmpty();
        boolean check = problem.getCheckSource() != null;
        boolean functionLevel = problem.getTest() != null || problem.getEntryPoint() != null;
        int ways = (tests ? 1 : 0) + (check ? 1 : 0) + (functionLevel ? 1 : 0);
        if (ways != 1) {
            errors.add(at, "give exactly one of tests, check_source, or test with entry_point (" + ways + " given)");
            return null;
        }
        if (tests) {
            return new ByTests(problem);
        }
        if (check) {
            return new ByCheck(problem.getCheckSource());
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
        return new FunctionLevel(problem.getPrompt() == null ? "" : problem.getPrompt(), problem.getTest(), problem.getEntryPoint());
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
