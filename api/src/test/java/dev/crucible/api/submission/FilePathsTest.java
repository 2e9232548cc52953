package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilePathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a/", "a\\b", "a\nb", "", ".."})
    void refusesPathsThatLeaveOrBlurTheWorkFolder(String path) {
        assertNotNull(FilePaths.problem(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main.py", "src/app/main.py", "a.b.c", "-dash.py", "..hidden"})
    void acceptsPlainRelativePaths(String path) {
        assertNull(FilePaths.problem(path), path);
    }

    @Test
    void refusesAFileThatIsAlsoAFolder() {
        assertNotNull(FilePaths.clashes(Set.of("lib", "lib/a.py")));
    }

    @Test
    void refusesOverlongPaths() {
        assertNotNull(FilePaths.problem("a".repeat(256)));
    }
}
