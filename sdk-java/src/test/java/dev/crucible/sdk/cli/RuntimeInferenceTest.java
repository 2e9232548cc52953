package dev.crucible.sdk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.sdk.model.Runtime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeInferenceTest {
    private static Runtime runtime(String name, String sourceFile, String... aliases) {
        return new Runtime().name(name).sourceFile(sourceFile).aliases(List.of(aliases));
    }

    /** As the server lists them (runtimes/*.json). */
    private static final List<Runtime> SERVER = List.of(runtime("bash", "main.sh", "sh", "shell"),
            runtime("c", "main.c", "gcc"), runtime("cpp", "main.cpp", "c++", "g++"), runtime("go", "main.go", "golang"),
            runtime("java", "Main.java", "jdk"), runtime("node", "main.js", "nodejs", "javascript", "js"),
            runtime("python", "main.py", "python3", "py"), runtime("python-science", "main.py", "numpy", "scipy", "pandas"),
            runtime("rust", "main.rs", "rs", "rustc"));

    private static String infer(String file) throws UsageException {
        return RuntimeInference.infer(Path.of(file), SERVER);
    }

    @Test
    void theExtensionOfTheRuntimesSourceFileNamesIt() throws UsageException {
        assertEquals("python", infer("hello.py"));
        assertEquals("java", infer("src/Hello.java"));
        assertEquals("node", infer("app.js"));
        assertEquals("rust", infer("main.rs"));
        assertEquals("c", infer("a.c"));
        assertEquals("python", infer("SHOUT.PY"));
    }

    @Test
    void otherSpellingsOfAnExtensionCountToo() throws UsageException {
        assertEquals("cpp", infer("solve.cc"));
        assertEquals("cpp", infer("solve.cxx"));
        assertEquals("node", infer("module.mjs"));
        assertEquals("bash", infer("script.bash"));
    }

    @Test
    void anExtensionThatIsARuntimesAliasCounts() throws UsageException {
        assertEquals("go", RuntimeInference.infer(Path.of("x.golang"), SERVER));
    }

    @Test
    void noExtensionOrAnUnknownOneAsksForRuntimeNamingTheServers() {
        assertEquals("Makefile has no extension to tell its language by: name one with --runtime "
                        + "(bash, c, cpp, go, java, node, python, python-science, rust)",
                assertThrows(UsageException.class, () -> infer("Makefile")).getMessage());
        assertEquals("no runtime of this server takes .cob files: name one with --runtime "
                        + "(bash, c, cpp, go, java, node, python, python-science, rust)",
                assertThrows(UsageException.class, () -> infer("payroll.cob")).getMessage());
    }

    @Test
    void twoRuntimesForOneExtensionAskWhich() {
        List<Runtime> two = List.of(runtime("python", "main.py"), runtime("pypy", "main.py"));

        assertEquals("several runtimes take .py files (pypy, python): name one with --runtime",
                assertThrows(UsageException.class, () -> RuntimeInference.infer(Path.of("a.py"), two)).getMessage());
    }

    @Test
    void ofTwoRuntimesForOneExtensionTheOneItNamesIsTaken() throws UsageException {
        assertEquals("python", infer("hello.py"), "python has the alias py; python-science takes .py too");
    }
}
