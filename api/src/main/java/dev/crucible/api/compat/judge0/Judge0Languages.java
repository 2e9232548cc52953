package dev.crucible.api.compat.judge0;

import dev.crucible.api.model.Judge0Language;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Crucible's runtimes under Judge0's language ids. Clients hard-code these ids: Judge0 CE 1.13.1's
 * ({@code db/languages/active.rb} at v1.13.1) and the hosted CE 1.14's, which the official Python SDK
 * ({@code judge0-python:src/judge0/data.py}) picks between by {@code GET /about}'s version. A runtime
 * is listed under its 1.13.1 id (the newest compiler of that release, where it had several); the other
 * ids of the same language are accepted at create and shown as archived.
 */
final class Judge0Languages {
    /** How a Crucible runtime is known to Judge0 clients. */
    private record Naming(String label, String compilerPrefix, int primaryId, List<Integer> listedAlso, List<Integer> aliases) {}

    /**
     * By Crucible runtime name; a runtime missing here has no Judge0 id and is not offered. The hosted
     * 1.14 ids are those of the Python SDK's 1.14.0 table (and Java's JDK 17 entry, 91).
     */
    private static final Map<String, Naming> NAMINGS = Map.of(
            "bash", new Naming("Bash", "", 46, List.of(), List.of()),
            // 48 and 49 were GCC 7.4 and 8.3 in 1.13.1; 103 is the hosted 1.14's C.
            "c", new Naming("C", "GCC ", 50, List.of(), List.of(48, 49, 103)),
            // The Python SDK's 1.13.1 table names C++ 52 (GCC 7.4), so it is listed too: the SDK only sends ids /languages lists.
            "cpp", new Naming("C++", "GCC ", 54, List.of(52), List.of(53, 105)),
            "go", new Naming("Go", "", 60, List.of(), List.of(107)),
            "java", new Naming("Java", "OpenJDK ", 62, List.of(), List.of(91)),
            // 93 (Node 18) is what langchain4j's engine sent before it moved to 102.
            "node", new Naming("JavaScript", "Node.js ", 63, List.of(), List.of(93, 102)),
            "python", new Naming("Python", "", 71, List.of(), List.of(113)),
            "rust", new Naming("Rust", "", 73, List.of(), List.of(108)));

    /** One id: the runtime it runs on, and whether {@code GET /languages} lists it. */
    record Language(int id, RuntimeManifest runtime, String label, String name, boolean listed) {
        /** Whether its runtime's manifest lets a submission add compile options. */
        boolean takesCompilerOptions() {
            return !runtime.compile().options().isEmpty();
        }

        Judge0Language summary() {
            return new Judge0Language(id, name);
        }

        Judge0Language details() {
            return new Judge0Language(id, name).isArchived(!listed).sourceFile(runtime.sourceFile())
                    .compileCmd(runtime.compiled() ? String.join(" ", runtime.compile().command()) : null)
                    .runCmd(String.join(" ", runtime.run()));
        }
    }

    private final Map<Integer, Language> byId;
    private final Map<String, Language> byRuntime;

    Judge0Languages(RuntimeCatalog catalog) {
        Map<Integer, Language> byId = new LinkedHashMap<>();
        Map<String, Language> byRuntime = new LinkedHashMap<>();
        for (RuntimeManifest runtime : catalog.all()) {
            Naming naming = NAMINGS.get(runtime.name());
            if (naming == null) {
                continue;
            }
            String name = naming.label() + " (" + naming.compilerPrefix() + runtime.version() + ")";
            Language primary = new Language(naming.primaryId(), runtime, naming.label(), name, true);
            byId.put(primary.id(), primary);
            byRuntime.put(runtime.name(), primary);
            naming.listedAlso().forEach(id -> byId.put(id, new Language(id, runtime, naming.label(), name, true)));
            naming.aliases().forEach(id -> byId.put(id, new Language(id, runtime, naming.label(), name, false)));
        }
        this.byId = Map.copyOf(byId);
        this.byRuntime = Map.copyOf(byRuntime);
    }

    /** {@code GET /languages}: the listed ids, in id order, as Judge0 lists them. */
    List<Judge0Language> listed() {
        return byId.values().stream().filter(Language::listed).sorted(Comparator.comparingInt(Language::id))
                .map(Language::summary).toList();
    }

    /** {@code GET /languages/all}: every id, sorted by name (then id), with whether it is archived. */
    List<Judge0Language> all() {
        List<Language> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(Language::name).thenComparingInt(Language::id));
        return all.stream().map(language -> language.summary().isArchived(!language.listed())).toList();
    }

    /** Judge0's {@code ALLOWED_LANGUAGES_FOR_COMPILE_OPTIONS}: the labels of the languages that take compiler options. */
    List<String> takingCompilerOptions() {
        return byRuntime.values().stream().filter(Language::takesCompilerOptions).sorted(Comparator.comparingInt(Language::id))
                .map(Language::label).toList();
    }

    Optional<Language> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The id a submission of {@code runtime} is shown with, whatever id it was made with; empty for a runtime Judge0 has no id for. */
    Optional<Language> ofRuntime(String runtime) {
        return Optional.ofNullable(byRuntime.get(runtime));
    }
}
