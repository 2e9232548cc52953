package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.Judge0SubmissionRequest;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.runtime.RuntimeCatalog;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Judge0RequestsTest {
    private static final Judge0Requests REQUESTS = new Judge0Requests(new Judge0Languages(RuntimeCatalog.load(Path.of("..", "runtimes"))),
            new ApiConfig.RunLimits(30_000, 1024, 65_536));

    private static Judge0SubmissionRequest python(String source) {
        return new Judge0SubmissionRequest(71).sourceCode(source);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> refused(Judge0SubmissionRequest request, boolean base64) {
        var e = assertThrows(Judge0Refusal.class, () -> REQUESTS.toSubmission(request, base64));
        assertEquals(422, e.status());
        return e.errors().orElseThrow();
    }

    @Test
    void aPlainSubmissionIsTheRuntimesWithItsDefaults() {
        SubmissionRequest submission = REQUESTS.toSubmission(python("print(1)").stdin("x"), false);
        assertEquals("python", submission.getRuntime());
        assertEquals("print(1)", decoded(submission.getSource()));
        assertEquals(InputEncoding.BASE64, submission.getSourceEncoding());
        assertEquals("x", decoded(submission.getStdin()));
        assertNull(submission.getLimits(), "no limits given: the runtime's defaults apply");
        assertEquals(1, submission.getRuns());
        assertTrue(submission.getTests() == null || submission.getTests().isEmpty());
    }

    @Test
    void base64IsDecodedAsRubyDecodesItNewlinesAndMissingPaddingIncluded() {
        SubmissionRequest submission = REQUESTS.toSubmission(python("cHJp\nbnQo\nMSk").stdin(b64("in")), true);
        assertEquals("print(1)", decoded(submission.getSource()));
        assertEquals("in", decoded(submission.getStdin()));
    }

    @Test
    void withoutBase64EncodedTrueABase64SourceIsTakenAsText() {
        assertEquals("cHJpbnQoMSk=", decoded(REQUESTS.toSubmission(python("cHJpbnQoMSk="), false).getSource()));
    }

    @Test
    void theHosted114IdsAreAliasesOfTheSameRuntimes() {
        assertEquals("python", REQUESTS.toSubmission(new Judge0SubmissionRequest(113).sourceCode("print(1)"), false).getRuntime());
        assertEquals("cpp", REQUESTS.toSubmission(new Judge0SubmissionRequest(52).sourceCode("int main(){}"), false).getRuntime());
        assertEquals("node", REQUESTS.toSubmission(new Judge0SubmissionRequest(102).sourceCode("1"), false).getRuntime());
    }

    @Test
    void anUnknownLanguageAndABlankSourceAreRailsMessages() {
        assertEquals(Map.of("source_code", List.of("can't be blank"), "language_id", List.of("language with id 150000 doesn't exist")),
                refused(new Judge0SubmissionRequest(150000).sourceCode("  \n"), false));
        assertEquals(List.of("can't be blank", "language with id  doesn't exist"),
                refused(new Judge0SubmissionRequest().sourceCode("x"), false).get("language_id"));
    }

    @Test
    void limitsOutsideTheBoundsAreRefusedWithRailsNumericalityMessages() {
        Map<String, List<String>> errors = refused(python("print(1)").wallTimeLimit(new BigDecimal("31"))
                .memoryLimit(new BigDecimal("2048")).numberOfRuns(11).cpuExtraTime(new BigDecimal("6"))
                .maxProcessesAndOrThreads(new BigDecimal("65")), false);
        assertEquals(List.of("must be less than or equal to 30.0"), errors.get("wall_time_limit"));
        assertEquals(List.of("must be greater than or equal to 32768"), errors.get("memory_limit"));
        assertEquals(List.of("must be less than or equal to 10"), errors.get("number_of_runs"));
        assertEquals(List.of("must be less than or equal to 5.0"), errors.get("cpu_extra_time"));
        assertEquals(List.of("must be less than or equal to 64"), errors.get("max_processes_and_or_threads"));
        assertEquals(List.of("must be greater than or equal to 1"),
                refused(python("print(1)").wallTimeLimit(new BigDecimal("0.5")), false).get("wall_time_limit"));
        assertEquals(List.of("must be greater than or equal to 0.1"),
                refused(python("print(1)").cpuTimeLimit(new BigDecimal("0.05")), false).get("cpu_time_limit"));
    }

    @Test
    void theRunIsKilledAtTheSmallerTimeLimitAndMemoryIsRoundedUpToMib() {
        var limits = REQUESTS.toSubmission(python("x").cpuTimeLimit(new BigDecimal("2")).wallTimeLimit(new BigDecimal("10"))
                .memoryLimit(new BigDecimal("128000.0")), false).getLimits();
        assertEquals(2000L, limits.getWallTimeMs());
        assertEquals(125L, limits.getMemoryMb());
        assertEquals(7000L, REQUESTS.toSubmission(python("x").cpuTimeLimit(BigDecimal.ZERO).wallTimeLimit(new BigDecimal("7")), false)
                .getLimits().getWallTimeMs(), "a CPU limit of 0 is none, as isolate takes it");
        assertEquals(1501L, REQUESTS.toSubmission(python("x").cpuTimeLimit(new BigDecimal("1.5001")), false).getLimits().getWallTimeMs());
    }

    @Test
    void expectedOutputIsATestForEachRun() {
        SubmissionRequest submission = REQUESTS.toSubmission(python("print('hi')").expectedOutput(b64("hi\n")).numberOfRuns(3), true);
        assertEquals(3, submission.getTests().size());
        assertEquals("hi\n", submission.getTests().getFirst().getExpectedOutput());
        assertEquals(1, submission.getRuns(), "Crucible runs a test once: the tests are the runs");
        assertEquals(4, REQUESTS.toSubmission(python("x").numberOfRuns(4), false).getRuns());
    }

    @Test
    void commandLineArgumentsAreAnArgvAndRedirectIsMergeStderr() {
        SubmissionRequest submission = REQUESTS.toSubmission(python("x").commandLineArguments("a 'b c'").redirectStderrToStdout(true), false);
        assertEquals(List.of("a", "b c"), submission.getArgs());
        assertEquals(Boolean.TRUE, submission.getMergeStderr());
        assertEquals(List.of("has a quote that is not closed"),
                refused(python("x").commandLineArguments("'a"), false).get("command_line_arguments"));
    }

    @Test
    void whatCrucibleCannotDoIsRefusedWithJudge0sWordsWhereItHasThem() {
        Map<String, List<String>> errors = refused(python("x").compilerOptions("-O3").additionalFiles("UEsFBg==")
                .enableNetwork(true).enablePerProcessAndThreadTimeLimit(true), false);
        assertEquals(List.of("setting compiler options is only allowed for compiled languages"), errors.get("compiler_options"));
        assertEquals(List.of("setting additional files is not allowed"), errors.get("additional_files"));
        assertEquals(List.of("enabling network is not allowed"), errors.get("enable_network"));
        assertEquals(List.of("this option cannot be enabled"), errors.get("enable_per_process_and_thread_time_limit"));
    }

    @Test
    void compilerOptionsAreSplitIntoTheSubmissionsCompileOptions() {
        SubmissionRequest submission = REQUESTS.toSubmission(new Judge0SubmissionRequest(50).sourceCode("int main(){}")
                .compilerOptions("-O0  -DGREETING=1 '-std=c11'"), false);
        assertEquals(List.of("-O0", "-DGREETING=1", "-std=c11"), submission.getCompileOptions());
    }

    @Test
    void compilerOptionsForALanguageWhoseManifestTakesNoneAreRefusedAsJudge0Words() {
        Map<String, List<String>> errors = refused(new Judge0SubmissionRequest(62).sourceCode("class Main {}").compilerOptions("-g"), false);
        assertEquals(List.of("setting compiler options is only allowed for C and C++"), errors.get("compiler_options"));
    }

    @Test
    void callbackUrlIsTheSubmissionsCallback() {
        // Not sent anywhere here: the address is checked when the submission is made, and again before a send.
        assertEquals("https://example.com/hook",
                REQUESTS.toSubmission(python("x").callbackUrl("https://example.com/hook"), false).getCallbackUrl());
        assertNull(REQUESTS.toSubmission(python("x").callbackUrl(""), false).getCallbackUrl());
    }

    @Test
    void blankOptionsAreAcceptedAsJudge0IdeSendsThem() {
        SubmissionRequest submission = REQUESTS.toSubmission(python("x").compilerOptions("").commandLineArguments("")
                .enableNetwork(false), false);
        assertTrue(submission.getArgs().isEmpty());
    }

    @Test
    void anExpectedOutputThatIsNotUtf8IsRefused() {
        String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3});
        assertEquals(List.of("is not valid UTF-8"), refused(python("x").expectedOutput(notUtf8), true).get("expected_output"));
    }
}
