package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.SourceFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceFilesTest {
    private static SourceFile file(String path, String content) {
        return new SourceFile(path, content);
    }

    @Test
    void keepsEachFileWithItsPlaceAndBytes() {
        List<FieldError> errors = new ArrayList<>();
        var checked = SourceFiles.check(errors, "files", List.of(file("a.txt", "x"),
                file("b.bin", "AAE=").encoding(InputEncoding.BASE64)), 10, 100);
        assertEquals(List.of(), errors);
        assertEquals(1, checked.get(1).index());
        assertArrayEquals(new byte[] {0, 1}, checked.get(1).content());
    }

    @Test
    void refusesAFileThatIsAlsoAFolder() {
        List<FieldError> errors = new ArrayList<>();
        SourceFiles.check(errors, "files", List.of(file("a", "x"), file("a/b", "y")), 10, 100);
        assertEquals("files", errors.getFirst().getField());
        assertEquals("'a' is both a file and the folder of 'a/b'", errors.getFirst().getMessage());
    }

    @Test
    void namesANullEntryAndARepeatedPathByTheirPlace() {
        List<FieldError> errors = new ArrayList<>();
        SourceFiles.check(errors, "files", Arrays.asList(file("a", "x"), null, file("a", "y")), 10, 100);
        assertEquals(List.of("files[1]", "files[2].path"), errors.stream().map(FieldError::getField).toList());
    }

    @Test
    void countsTheFilesAndTheirBytesTogether() {
        List<FieldError> errors = new ArrayList<>();
        SourceFiles.check(errors, "files", List.of(file("a", "xxx"), file("b", "yyy")), 1, 5);
        assertEquals(List.of("has 2 files; at most 1", "hold 6 bytes together; at most 5"),
                errors.stream().map(FieldError::getMessage).toList());
    }
}
