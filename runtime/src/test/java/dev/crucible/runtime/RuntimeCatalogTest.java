package dev.crucible.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeCatalogTest {
    @TempDir
    Path dir;

    private static final String PYTHON = """
            {"name":"python","version":"3.11","aliases":["py"],"packages":["python3-minimal"],
             "source_file":"main.py","run":["python3","main.py"],
             "default_limits":{"wall_time_ms":5000,"memory_mb":256}}""";

    private RuntimeCatalog load(String file, String content) throws Exception {
        Files.writeString(dir.resolve(file), content);
        return RuntimeCatalog.load(dir);
    }

    @Test
    void findsARuntimeByNameAndAlias() throws Exception {
        RuntimeCatalog catalog = load("python.json", PYTHON);
        assertEquals("python", catalog.find("py").orElseThrow().name());
        assertEquals(catalog.find("py"), catalog.find("python"));
    }

    @Test
    void imageTagFollowsTheManifestContent() throws Exception {
        String first = load("python.json", PYTHON).find("python").orElseThrow().image().tag();
        String second = load("python.json", PYTHON.replace("3.11", "3.12")).find("python").orElseThrow().image().tag();
        assertTrue(first.startsWith("crucible-runtime/python:"));
        assertNotEquals(first, second);
    }

    @Test
    void unknownFieldIsNamedWithItsFile() throws Exception {
        var e = assertThrows(InvalidManifestException.class, () -> load("python.json", PYTHON.replace("\"aliases\"", "\"alias\"")));
        assertTrue(e.getMessage().contains("python.json") && e.getMessage().contains("'alias'"), e.getMessage());
    }

    @Test
    void packageNameThatCouldInjectIsRefused() throws Exception {
        var e = assertThrows(InvalidManifestException.class,
                () -> load("python.json", PYTHON.replace("python3-minimal", "python3; rm -rf /")));
        assertTrue(e.getMessage().contains("'packages'"), e.getMessage());
    }

    @Test
    void missingRunCommandIsNamed() throws Exception {
        var e = assertThrows(InvalidManifestException.class, () -> load("python.json", PYTHON.replace("\"run\":[\"python3\",\"main.py\"],", "")));
        assertTrue(e.getMessage().contains("'run'"), e.getMessage());
    }

    @Test
    void fileNameMustMatchTheRuntimeName() throws Exception {
        var e = assertThrows(InvalidManifestException.class, () -> load("snake.json", PYTHON));
        assertTrue(e.getMessage().contains("snake.json"), e.getMessage());
    }

    @Test
    void nonPositiveDefaultLimitIsRefused() throws Exception {
        var e = assertThrows(InvalidManifestException.class, () -> load("python.json", PYTHON.replace("5000", "0")));
        assertTrue(e.getMessage().contains("default_limits.wall_time_ms"), e.getMessage());
    }

    @Test
    void invalidJsonIsReportedWithTheFile() throws Exception {
        var e = assertThrows(InvalidManifestException.class, () -> load("python.json", "{"));
        assertTrue(e.getMessage().contains("python.json"), e.getMessage());
    }

    private static final String C = """
            {"name":"c","version":"12.2","packages":["gcc"],"source_file":"main.c",
             "compile":["gcc","-o","main","main.c"],"compile_options":["-O[0-3]","-D[A-Z]+(=[0-9]+)?"],"run":["./main"],
             "default_limits":{"wall_time_ms":5000,"memory_mb":256}}""";

    @Test
    void compileOptionIsAllowedOnlyWhenAPatternMatchesItWhole() throws Exception {
        RuntimeManifest.Compile compile = load("c.json", C).find("c").orElseThrow().compile();
        assertTrue(compile.allows("-O2"));
        assertTrue(compile.allows("-DN=42"));
        assertFalse(compile.allows("-O2 -fplugin=x"), "a pattern must match the whole option");
        assertFalse(compile.allows("-DN=42;"));
        assertFalse(compile.allows("-o"));
    }

    @Test
    void anOptionThatIsNoOptionIsRefusedWhateverAPatternsAlternativesSay() throws Exception {
        RuntimeManifest.Compile compile = load("c.json", C.replace("\"-O[0-3]\"", "\"-O|/etc/x\"")).find("c").orElseThrow().compile();
        assertTrue(compile.allows("-O"));
        assertFalse(compile.allows("/etc/x"));
    }

    @Test
    void compileOptionsWithoutACompileCommandAreRefused() {
        var e = assertThrows(InvalidManifestException.class, () -> load("python.json",
                PYTHON.replace("\"run\"", "\"compile_options\":[\"-O\"],\"run\"")));
        assertTrue(e.getMessage().contains("'compile_options'"), e.getMessage());
    }

    @Test
    void compileOptionPatternMustBeAnOptionAndAValidExpression() {
        var notAnOption = assertThrows(InvalidManifestException.class, () -> load("c.json", C.replace("\"-O[0-3]\"", "\".*\"")));
        assertTrue(notAnOption.getMessage().contains("'.*'"), notAnOption.getMessage());
        var broken = assertThrows(InvalidManifestException.class, () -> load("c.json", C.replace("\"-O[0-3]\"", "\"-O[\"")));
        assertTrue(broken.getMessage().contains("not a regular expression"), broken.getMessage());
    }

    @Test
    void shippedManifestsAllParse() {
        RuntimeCatalog catalog = RuntimeCatalog.load(Path.of("..", "runtimes"));
        assertTrue(catalog.find("python").isPresent());
    }
}
