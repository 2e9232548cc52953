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
    @ValueSource(strings = {"\u202Eexe.txt", "a\u202A.py", "a\u202B.py", "a\u202C.py", "a\u202D.py", "a\u2066.py",
        "a\u2067.py", "a\u2068.py", "src/\u2069a.py", "a\u200E.py", "a\u200F.py", "a\u061C.py", "a\u200B.py", "\uFEFFa.py"})
    void refusesBidiControlsAndOtherInvisibleFormatCharacters(String path) {
        assertNotNull(FilePaths.problem(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main.py", "src/app/main.py", "a.b.c", "-dash.py", "..hidden", "données/résumé.py", "שלום.py"})
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
