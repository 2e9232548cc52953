package dev.crucible.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.PistonExecuteRequest;
import dev.crucible.api.model.PistonFile;
import dev.crucible.api.model.SourceFile;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PistonRequestsTest {
    private static final RuntimeManifest PYTHON = RuntimeCatalog.load(Path.of("..", "runtimes")).find("python").orElseThrow();
    private final PistonRequests requests = new PistonRequests(new ApiConfig.RunLimits(30_000, 1024, 65_536));

    private static PistonExecuteRequest request() {
        return new PistonExecuteRequest("python", "*", List.of(new PistonFile("print(1)")));
    }

    private static String refusal(Runnable mapping) {
        return PistonResource.message(assertThrows(ApiException.InvalidRequest.class, mapping::run));
    }

    @Test
    void anEntryFileWithoutNameTakesTheRuntimesSourceFile() {
        SubmissionRequest submission = requests.toSubmission(request(), PYTHON);
        assertEquals(List.of(new SourceFile(PYTHON.sourceFile(), "print(1)")), submission.getFiles());
    }

    @Test
    void theFirstUtf8FileIsTheEntryAndGoesFirst() {
        List<SourceFile> files = PistonRequests.files(List.of(
                new PistonFile("AAE=").encoding(PistonFile.EncodingEnum.BASE64),
                new PistonFile("import helper").name("main.py"),
                new PistonFile("x = 1").name("helper.py")), "main.py");
        assertEquals(List.of("main.py", "file0.code", "helper.py"), files.stream().map(SourceFile::getPath).toList());
    }

    @Test
    void hexFilesAreSentAsBase64() {
        List<SourceFile> files = PistonRequests.files(List.of(new PistonFile("print(1)"),
                new PistonFile("00ff41").name("data.bin").encoding(PistonFile.EncodingEnum.HEX)), "main.py");
        assertEquals(new SourceFile("data.bin", "AP9B").encoding(InputEncoding.BASE64), files.get(1));
    }

    @Test
    void invalidHexIsRefusedNamingTheFile() {
        String message = refusal(() -> PistonRequests.files(List.of(new PistonFile("print(1)"),
                new PistonFile("zz").encoding(PistonFile.EncodingEnum.HEX)), "main.py"));
        assertEquals("files[1].content is not valid hex", message.substring(0, "files[1].content is not valid hex".length()));
    }

    @Test
    void aFileWithoutContentIsRefusedNamingIt() {
        assertEquals("files[0].content is required as a string",
                refusal(() -> PistonRequests.files(List.of(new PistonFile().name("main.py")), "main.py")));
    }

    @Test
    void filesWithoutAUtf8OneAreRefused() {
        assertEquals("files must have at least one utf8 file, the entry point", refusal(() -> PistonRequests.files(
                List.of(new PistonFile("AAE=").encoding(PistonFile.EncodingEnum.BASE64)), "main.py")));
    }

    @Test
    void defaultLimitsLeaveCrucibleDefaults() {
        SubmissionRequest submission = requests.toSubmission(request().runTimeout(0L).runMemoryLimit(-1L)
                .compileTimeout(10_000L).compileMemoryLimit(-1L), PYTHON);
        assertNull(submission.getLimits());
    }

    @Test
    void runLimitsBecomeWallTimeAndMegabytesRoundedUp() {
        SubmissionRequest submission = requests.toSubmission(request().runTimeout(3000L).runMemoryLimit(100_000_000L), PYTHON);
        assertEquals(3000L, submission.getLimits().getWallTimeMs());
        assertEquals(96L, submission.getLimits().getMemoryMb());
    }

    @Test
    void aRunTimeoutOverTheServersMaximumIsRefusedAsPistonWordsIt() {
        assertEquals("run_timeout cannot exceed the configured limit of 30000",
                refusal(() -> requests.toSubmission(request().runTimeout(30_001L), PYTHON)));
    }

    @Test
    void aMemoryLimitOverTheServersMaximumIsRefused() {
        assertEquals("run_memory_limit cannot exceed the configured limit of " + (1024L << 20),
                refusal(() -> requests.toSubmission(request().runMemoryLimit((1024L << 20) + 1), PYTHON)));
    }

    @Test
    void aCompileTimeoutOverTheRuntimesCompileLimitIsRefused() {
        long most = PYTHON.compile().limits().wallTimeMs();
        assertEquals("compile_timeout cannot exceed the configured limit of " + most,
                refusal(() -> requests.toSubmission(request().compileTimeout(most + 1), PYTHON)));
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertEquals("run_cpu_time must be a non-negative number, was -5",
                refusal(() -> requests.toSubmission(request().runCpuTime(-5L), PYTHON)));
    }

    @Test
    void stdinAndArgsArePassedOn() {
        SubmissionRequest submission = requests.toSubmission(request().stdin("hi\n").args(List.of("1", "2", "3")), PYTHON);
        assertEquals("hi\n", submission.getStdin());
        assertEquals(List.of("1", "2", "3"), submission.getArgs());
    }
}
