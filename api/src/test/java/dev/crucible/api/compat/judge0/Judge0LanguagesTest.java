package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.model.Judge0Language;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class Judge0LanguagesTest {
    private static final Judge0Languages LANGUAGES = new Judge0Languages(RuntimeCatalog.load(Path.of("..", "runtimes")));

    @Test
    void eachRuntimeIsListedUnderItsJudge0Ids() {
        assertEquals(List.of(46, 50, 52, 54, 60, 62, 63, 71, 73), LANGUAGES.listed().stream().map(Judge0Language::getId).toList());
    }

    @Test
    void namesCarryTheVersionTheImageHas() {
        var names = LANGUAGES.listed().stream().map(Judge0Language::getName).toList();
        assertTrue(names.contains("Python (3.11)"), names.toString());
        assertTrue(names.contains("C++ (GCC 12.2)"), names.toString());
        assertTrue(names.contains("JavaScript (Node.js 18)"), names.toString());
        assertNull(LANGUAGES.listed().getFirst().getIsArchived(), "/languages is only {id, name}");
    }

    @Test
    void otherIdsOfTheSameLanguageAreAcceptedAndShownArchived() {
        for (int id : new int[] {48, 49, 103, 53, 105, 107, 91, 93, 102, 113, 108}) {
            var language = LANGUAGES.byId(id).orElseThrow(() -> new AssertionError("no language " + id));
            assertFalse(language.listed(), id + " is not listed");
            assertTrue(language.details().getIsArchived(), id + " is archived");
        }
        assertEquals("python", LANGUAGES.byId(113).orElseThrow().runtime().name());
        assertTrue(LANGUAGES.byId(70).isEmpty(), "Python 2 is not a runtime here");
    }

    @Test
    void allIsSortedByNameWithWhetherArchived() {
        List<Judge0Language> all = LANGUAGES.all();
        assertEquals(all.stream().map(Judge0Language::getName).sorted().toList(), all.stream().map(Judge0Language::getName).toList());
        assertTrue(all.stream().allMatch(language -> language.getIsArchived() != null));
    }

    @Test
    void detailsHaveTheSourceFileAndCommands() {
        Judge0Language c = LANGUAGES.byId(50).orElseThrow().details();
        assertEquals("main.c", c.getSourceFile());
        assertTrue(c.getCompileCmd().startsWith("gcc"), c.getCompileCmd());
        assertEquals("./main", c.getRunCmd());
        assertNull(LANGUAGES.byId(71).orElseThrow().details().getCompileCmd());
    }

    @Test
    void aRuntimeIsShownUnderItsPrimaryId() {
        assertEquals(54, LANGUAGES.ofRuntime("cpp").orElseThrow().id());
        assertTrue(LANGUAGES.ofRuntime("cobol").isEmpty());
    }
}
