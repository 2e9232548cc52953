package dev.crucible.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.model.PistonRuntime;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PistonLanguagesTest {
    private static final RuntimeCatalog CATALOG = RuntimeCatalog.load(Path.of("..", "runtimes"));
    private final PistonLanguages languages = new PistonLanguages(CATALOG);

    private String crucibleName(String language, String version) {
        return languages.resolve(language, version).orElseThrow().manifest().name();
    }

    @Test
    void listsPistonsCanonicalNames() {
        Set<String> listed = languages.runtimes().stream().map(PistonRuntime::getLanguage).collect(Collectors.toSet());
        // A runtime Piston has no name for is listed under its own (python-science).
        assertEquals(Set.of("python", "javascript", "c++", "c", "java", "go", "rust", "bash", "python-science"), listed);
    }

    @Test
    void listsTheManifestsVersions() {
        PistonRuntime python = languages.runtimes().stream().filter(r -> r.getLanguage().equals("python")).findFirst().orElseThrow();
        assertEquals(CATALOG.find("python").orElseThrow().version(), python.getVersion());
    }

    @Test
    void javascriptNamesNodeAsItsRuntime() {
        PistonRuntime javascript = languages.runtimes().stream().filter(r -> r.getLanguage().equals("javascript")).findFirst().orElseThrow();
        assertEquals("node", javascript.getRuntime());
        assertTrue(javascript.getAliases().containsAll(List.of("js", "node")), javascript.getAliases().toString());
    }

    @Test
    void pistonAliasesResolveToCrucibleRuntimes() {
        assertEquals("node", crucibleName("javascript", "*"));
        assertEquals("node", crucibleName("js", "*"));
        assertEquals("cpp", crucibleName("c++", "*"));
        assertEquals("cpp", crucibleName("cpp", "*"));
        assertEquals("python", crucibleName("py3", "*"));
        assertEquals("go", crucibleName("golang", "*"));
        assertEquals("bash", crucibleName("sh", "*"));
    }

    @Test
    void anUnknownLanguageResolvesToNothing() {
        assertTrue(languages.resolve("cobol", "*").isEmpty());
    }

    @Test
    void aVersionNotOfferedResolvesToNothing() {
        assertTrue(languages.resolve("python", "2.7").isEmpty());
    }

    @Test
    void versionSelectorTakesStarExactPrefixAndWildcardParts() {
        assertTrue(PistonLanguages.versionMatches("3.11", "*"));
        assertTrue(PistonLanguages.versionMatches("3.11", "3.11"));
        assertTrue(PistonLanguages.versionMatches("3.11", "3"));
        assertTrue(PistonLanguages.versionMatches("3.11", "3.x"));
        assertTrue(PistonLanguages.versionMatches("3.11", "3.11.0"));
        assertFalse(PistonLanguages.versionMatches("3.11", "3.12"));
        assertFalse(PistonLanguages.versionMatches("3.11", "3.11.1"));
    }
}
