package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.ProjectRequest;
import dev.crucible.api.model.SourceFile;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.TestCase;
import dev.crucible.queue.Job;
import dev.crucible.runtime.RuntimeCatalog;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionValidatorTest {
    @TempDir
    Path runtimes;

    private SubmissionValidator validator() throws Exception {
        Files.writeString(runtimes.resolve("python.json"), """
                {"name":"python","version":"3.11","aliases":["py"],"packages":["python3-minimal"],
                 "source_file":"main.py","run":["python3","main.py"],
                 "default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
        Files.writeString(runtimes.resolve("c.json"), """
                {"name":"c","version":"12","packages":["gcc"],"source_file":"main.c",
                 "compile":["gcc","-o","main","main.c"],"compile_limits":{"wall_time_ms":9000,"memory_mb":512},
                 "compile_options":["-O[0-3]","-D[A-Z]+=[0-9]+"],"run":["./main"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""");
        return new SubmissionValidator(RuntimeCatalog.load(runtimes), new ApiConfig.RunLimits(30_000, 1024, 65_536));
    }

    private static SubmissionRequest python(String source) {
        return new SubmissionRequest("python").source(source);
    }

    private static String firstField(ApiException e) {
        return e.errors().getFirst().getField();
    }

    @Test
    void missingLimitsTakeTheRuntimeDefaults() throws Exception {
        Job job = validator().validate(UUID.randomUUID(), python("print(1)"));
        assertEquals(new Job.JobLimits(5000, 256, 65536, 5000), job.limits());
        assertEquals("main.py", job.code().entryFile());
    }

    @Test
    void theJobsBudgetIsEachTestAtTheWallLimit() throws Exception {
        var request = python("1").limits(new Limits().wallTimeMs(2000L))
                .tests(List.of(new TestCase("a"), new TestCase("b"), new TestCase("c")));
        assertEquals(3 * 2000, validator().validate(UUID.randomUUID(), request).limits().sandboxMs());
    }

    @Test
    void theJobsBudgetIncludesTheCompilesWallLimit() throws Exception {
        var request = new SubmissionRequest("c").source("int main(){}").runs(2);
        assertEquals(2 * 5000 + 9000, validator().validate(UUID.randomUUID(), request).limits().sandboxMs());
    }

    @Test
    void runsDefaultToOne() throws Exception {
        assertEquals(1, validator().validate(UUID.randomUUID(), python("print(1)")).options().runs());
    }

    @Test
    void moreThanTenRunsAreRefused() throws Exception {
        var request = python("1").runs(11);
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("runs", firstField(e));
    }

    @Test
    void anOutputFileGivenTwiceIsRefused() throws Exception {
        var request = python("1").outputFiles(List.of("out.txt", "out.txt"));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("output_files[1]", firstField(e));
    }

    @Test
    void moreThanEightOutputFilesAreRefused() throws Exception {
        var request = python("1").outputFiles(java.util.stream.IntStream.range(0, 9).mapToObj(i -> "f" + i).toList());
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("output_files", firstField(e));
    }

    @Test
    void aliasResolvesToTheCanonicalName() throws Exception {
        assertEquals("python", validator().validate(UUID.randomUUID(), new SubmissionRequest("py").source("1")).runtime());
    }

    @Test
    void zeroWallTimeIsRefused() throws Exception {
        var request = python("1").limits(new Limits().wallTimeMs(0L));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("limits.wall_time_ms", firstField(e));
    }

    @Test
    void negativeMemoryIsRefused() throws Exception {
        var request = python("1").limits(new Limits().memoryMb(-1L));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("limits.memory_mb", firstField(e));
    }

    @Test
    void wallTimeAboveTheServerMaximumIsRefused() throws Exception {
        var request = python("1").limits(new Limits().wallTimeMs(30_001L));
        assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
    }

    @Test
    void sourceAndFilesTogetherAreRefused() throws Exception {
        var request = python("1").files(List.of(new SourceFile("a.py", "1")));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("source", firstField(e));
    }

    @Test
    void neitherSourceNorFilesIsRefused() throws Exception {
        assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), new SubmissionRequest("python")));
    }

    @Test
    void compileOptionsTheManifestAllowsTravelWithTheJob() throws Exception {
        var request = new SubmissionRequest("c").source("int main(){}").compileOptions(List.of("-O0", "-DN=1"));
        assertEquals(List.of("-O0", "-DN=1"), validator().validate(UUID.randomUUID(), request).code().compileOptions());
    }

    @Test
    void aCompileOptionNoPatternMatchesWholeIsRefusedNamingIt() throws Exception {
        var request = new SubmissionRequest("c").source("int main(){}").compileOptions(List.of("-O0", "-O0 -fplugin=x"));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("compile_options[1]", firstField(e));
    }

    @Test
    void compileOptionsForARuntimeWithoutACompileStepAreRefused() throws Exception {
        var e = assertThrows(ApiException.InvalidRequest.class,
                () -> validator().validate(UUID.randomUUID(), python("1").compileOptions(List.of("-O0"))));
        assertEquals("compile_options", firstField(e));
    }

    @Test
    void unknownRuntimeIsItsOwnError() throws Exception {
        assertThrows(ApiException.UnknownRuntime.class,
                () -> validator().validate(UUID.randomUUID(), new SubmissionRequest("cobol").source("1")));
    }

    @Test
    void duplicatePathsAreRefused() throws Exception {
        var request = new SubmissionRequest("python").files(List.of(new SourceFile("a.py", "1"), new SourceFile("a.py", "2")));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("files[1].path", firstField(e));
    }

    @Test
    void aBidiOverrideInAFilePathIsRefusedNamingTheField() throws Exception {
        var request = new SubmissionRequest("python").files(List.of(new SourceFile("main.py", "1"), new SourceFile("gnp\u202E.py", "2")));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("files[1].path", firstField(e));
    }

    @Test
    void aBidiIsolateInAnOutputFileIsRefusedNamingTheField() throws Exception {
        var request = python("1").outputFiles(List.of("out.txt", "\u2067txt.exe"));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("output_files[1]", firstField(e));
    }

    @Test
    void nulInAnArgumentIsRefused() throws Exception {
        var request = python("1").args(List.of("ok", "bad\0arg"));
        var e = assertThrows(ApiException.InvalidRequest.class, () -> validator().validate(UUID.randomUUID(), request));
        assertEquals("args[1]", firstField(e));
    }

    @Test
    void firstFileIsTheEntryFile() throws Exception {
        var request = new SubmissionRequest("python").files(List.of(new SourceFile("src/app.py", "1"), new SourceFile("lib.py", "2")));
        assertEquals("src/app.py", validator().validate(UUID.randomUUID(), request).code().entryFile());
    }

    /** A .tar.gz of one file, main.py. */
    private static String projectArchive() throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            var entry = new TarArchiveEntry("main.py");
            entry.setSize(9);
            tar.putArchiveEntry(entry);
            tar.write("print(1)\n".getBytes());
            tar.closeArchiveEntry();
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static SubmissionRequest project(String archive) {
        return new SubmissionRequest("python").project(new ProjectRequest().archive(archive).testCommand(List.of("python3", "main.py")));
    }

    @Test
    void aProjectRunsOnceWithItsTestCommandAndTheDefaultReportPaths() throws Exception {
        Job job = validator().validate(UUID.randomUUID(), project(projectArchive()));
        assertEquals(List.of("python3", "main.py"), job.code().project().testCommand());
        assertEquals(ProjectRequests.DEFAULT_REPORT_PATHS, job.code().project().reportPaths());
        assertEquals(5000, job.limits().sandboxMs());
    }

    @Test
    void aProjectCannotHaveTests() throws Exception {
        var request = project(projectArchive()).tests(List.of(new TestCase("1")));
        assertEquals("tests", firstField(assertThrows(ApiException.class, () -> validator().validate(UUID.randomUUID(), request))));
    }

    @Test
    void aProjectArchiveThatIsNotBase64IsRefused() throws Exception {
        var e = assertThrows(ApiException.class, () -> validator().validate(UUID.randomUUID(), project("not base64!")));
        assertEquals("project.archive", firstField(e));
    }

    @Test
    void aProjectArchiveThatIsNoArchiveIsRefused() throws Exception {
        var request = project(Base64.getEncoder().encodeToString("just text".getBytes()));
        assertEquals("project.archive", firstField(assertThrows(ApiException.class, () -> validator().validate(UUID.randomUUID(), request))));
    }

    @Test
    void aProjectWithoutATestCommandIsRefused() throws Exception {
        var request = new SubmissionRequest("python").project(new ProjectRequest().archive(projectArchive()));
        assertEquals("project.test_command",
                firstField(assertThrows(ApiException.class, () -> validator().validate(UUID.randomUUID(), request))));
    }

    @Test
    void aReportPatternMayUsePatternsAndDotFolders() {
        assertNull(ProjectRequests.reportPathProblem(".reports/TEST-*.xml"));
    }

    @Test
    void aReportPatternPartThatCouldMatchDotDotIsRefused() {
        assertNotNull(ProjectRequests.reportPathProblem("out/.?/x.xml"));
    }
}
