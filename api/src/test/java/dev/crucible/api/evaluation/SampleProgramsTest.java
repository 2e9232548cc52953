package dev.crucible.api.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.Json;
import dev.crucible.api.model.EvaluationProblem;
import dev.crucible.api.model.EvaluationRequest;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.TestCase;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleProgramsTest {
    private static final RuntimeCatalog CATALOG = RuntimeCatalog.load(Path.of("..", "runtimes"));
    private final SamplePrograms programs = new SamplePrograms(CATALOG, 5, request -> {
        if (request.getSource().contains("too big")) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("source", "at most 256 KiB")));
        }
    });

    private static EvaluationRequest python(EvaluationProblem... problems) {
        return new EvaluationRequest("python", List.of(problems));
    }

    private static List<String> fields(Runnable refused) {
        return assertThrows(ApiException.InvalidRequest.class, refused::run).errors().stream().map(FieldError::getField).toList();
    }

    private static SubmissionRequest first(List<SamplePrograms.Problem> problems) {
        SamplePrograms.Problem problem = problems.getFirst();
        return problem.template().request(problem.samples().getFirst());
    }

    @Test
    void theFunctionLevelFormatPutsPromptCompletionTestAndCheckTogether() {
        var problems = programs.of(python(new EvaluationProblem("add", List.of("    return a + b\n"))
                .prompt("def add(a, b):\n").test("def check(f):\n    assert f(2, 3) == 5\n").entryPoint("add")));
        assertEquals("def add(a, b):\n    return a + b\n\n\ndef check(f):\n    assert f(2, 3) == 5\n\n\ncheck(add)\n",
                first(problems).getSource());
    }

    @Test
    void aCheckIsAppendedToTheSample() {
        var problems = programs.of(python(new EvaluationProblem("p", List.of("x = 1")).checkSource("assert x == 1")));
        assertEquals("x = 1\n\nassert x == 1\n", first(problems).getSource());
    }

    @Test
    void testsGoWithEverySample() {
        var problems = programs.of(python(new EvaluationProblem("p", List.of("print(1)", "print(2)"))
                .tests(List.of(new TestCase("1\n")))));
        assertEquals(List.of("print(1)", "print(2)"), problems.getFirst().samples());
        assertEquals(1, first(problems).getTests().size());
    }

    @Test
    void aTemplateComesBackFromItsStoredJson() throws Exception {
        var template = programs.of(python(new EvaluationProblem("p", List.of("print(input())"))
                .tests(List.of(new TestCase("ab").stdin("ab"))))).getFirst().template();
        var mapper = Json.mapper();
        var stored = mapper.readValue(mapper.writeValueAsString(template), SamplePrograms.Template.class);
        assertEquals(template.request("x"), stored.request("x"));
    }

    @Test
    void sharedPartsTooLargeToCopyIntoEverySampleAreRefused() {
        assertEquals(List.of("problems[0]"), fields(() -> programs.of(python(new EvaluationProblem("p", List.of(""))
                .checkSource("#".repeat(SamplePrograms.MAX_SHARED_BYTES + 1))))));
    }

    @Test
    void aProblemJudgedTwoWaysIsRefused() {
        assertEquals(List.of("problems[0]"), fields(() -> programs.of(python(new EvaluationProblem("p", List.of("x"))
                .checkSource("pass").tests(List.of(new TestCase("1")))))));
    }

    @Test
    void aProblemJudgedNoWayIsRefused() {
        assertEquals(List.of("problems[0]"), fields(() -> programs.of(python(new EvaluationProblem("p", List.of("x"))))));
    }

    @Test
    void twoProblemsOfOneIdAreRefused() {
        assertEquals(List.of("problems[1].id"), fields(() -> programs.of(python(
                new EvaluationProblem("p", List.of("x")).checkSource("pass"), new EvaluationProblem("p", List.of("y")).checkSource("pass")))));
    }

    @Test
    void anEntryPointMustBeAnIdentifier() {
        assertEquals(List.of("problems[0].entry_point"), fields(() -> programs.of(python(new EvaluationProblem("p", List.of("x"))
                .test("def check(f): pass").entryPoint("f); import os; os.system('x'")))));
    }

    @Test
    void theFunctionLevelFormatIsPythonsOnly() {
        assertEquals(List.of("problems[0]"), fields(() -> programs.of(new EvaluationRequest("c", List.of(
                new EvaluationProblem("p", List.of("x")).test("t").entryPoint("f"))))));
    }

    @Test
    void moreSamplesThanAllowedAreRefused() {
        assertEquals(List.of("problems"), fields(() -> programs.of(python(
                new EvaluationProblem("p", List.of("1", "2", "3", "4", "5", "6")).checkSource("pass")))));
    }

    @Test
    void aSampleTheSubmissionsApiWouldRefuseIsNamed() {
        assertEquals(List.of("problems[0].samples[1] (as a submission: source)"), fields(() -> programs.of(python(
                new EvaluationProblem("p", List.of("fine", "too big")).checkSource("pass")))));
    }

    @Test
    void anUnknownRuntimeIsRefused() {
        assertEquals(List.of("runtime"), fields(() -> programs.of(new EvaluationRequest("cobol", List.of(
                new EvaluationProblem("p", List.of("x")).checkSource("pass"))))));
    }
}
