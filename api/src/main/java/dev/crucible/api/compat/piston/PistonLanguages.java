package dev.crucible.api.compat.piston;

import dev.crucible.api.model.PistonRuntime;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Crucible's runtimes under Piston's names: the canonical language and aliases of Piston's packages
 * ({@code packages/<name>/<version>/metadata.json}), so that a client that picks a runtime by
 * Piston's name (the npm {@code piston-client} matches {@code language} exactly) finds it.
 */
final class PistonLanguages {
    /** A runtime's name in Piston; {@code runtime} is what Piston names the runtime behind it, if anything. */
    record Naming(String language, List<String> aliases, String runtime) {}

    /** By Crucible runtime name. A runtime missing here keeps its Crucible name and aliases. */
    private static final Map<String, Naming> NAMINGS = Map.of(
            "python", new Naming("python", List.of("py", "py3", "python3"), null),
            "node", new Naming("javascript", List.of("node-javascript", "node-js", "javascript", "js"), "node"),
            "cpp", new Naming("c++", List.of("cpp", "g++"), null),
            "c", new Naming("c", List.of("gcc"), null),
            "java", new Naming("java", List.of(), null),
            "go", new Naming("go", List.of("go", "golang"), null),
            "rust", new Naming("rust", List.of("rs"), null),
            "bash", new Naming("bash", List.of("sh"), null));

    /** A runtime as a Piston client sees it. */
    record Entry(String language, List<String> aliases, String runtime, RuntimeManifest manifest) {
        PistonRuntime view() {
            return new PistonRuntime(language, manifest.version(), aliases).runtime(runtime);
        }
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byName;

    PistonLanguages(RuntimeCatalog catalog) {
        List<Entry> entries = new ArrayList<>();
        for (RuntimeManifest manifest : catalog.all()) {
            Naming naming = NAMINGS.getOrDefault(manifest.name(), new Naming(manifest.name(), List.of(), null));
            Set<String> aliases = new LinkedHashSet<>(naming.aliases());
            aliases.add(manifest.name());
            aliases.addAll(manifest.aliases());
            aliases.remove(naming.language());
            entries.add(new Entry(naming.language(), List.copyOf(aliases), naming.runtime(), manifest));
        }
        // Crucible's own names first, so that a Piston alias never takes a name a runtime has in Crucible.
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry entry : entries) {
            byName.putIfAbsent(entry.manifest().name(), entry);
            entry.manifest().aliases().forEach(alias -> byName.putIfAbsent(alias, entry));
        }
        for (Entry entry : entries) {
            byName.putIfAbsent(entry.language(), entry);
            entry.aliases().forEach(alias -> byName.putIfAbsent(alias, entry));
        }
        this.entries = List.copyOf(entries);
        this.byName = Map.copyOf(byName);
    }

    List<PistonRuntime> runtimes() {
        return entries.stream().map(Entry::view).toList();
    }

    /** The runtime a request names: by Piston name, alias or Crucible name, at a version {@code selector} matches. */
    Optional<Entry> resolve(String language, String selector) {
        return Optional.ofNullable(byName.get(language)).filter(entry -> versionMatches(entry.manifest().version(), selector));
    }

    /**
     * Whether {@code version} is one {@code selector} names: {@code *} (or nothing) for any; otherwise
     * dot-separated parts, each equal to the version's or {@code x}/{@code *}, a missing part of the
     * version counting as {@code 0}. A shorter selector names every version it is a prefix of
     * ({@code 3} and {@code 3.x} name 3.11). Piston takes full SemVer ranges; clients send what
     * {@code /runtimes} listed, or {@code *}.
     */
    static boolean versionMatches(String version, String selector) {
        String wanted = selector.strip();
        if (wanted.startsWith("=")) {
            wanted = wanted.substring(1).strip();
        }
        if (wanted.startsWith("v")) {
            wanted = wanted.substring(1);
        }
        if (wanted.isEmpty() || wanted.equals("*")) {
            return true;
        }
        String[] parts = wanted.split("\\.", -1);
        String[] have = version.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            String actual = i < have.length ? have[i] : "0";
            if (!(part.equals("x") || part.equals("X") || part.equals("*") || part.equals(actual))) {
                return false;
            }
        }
        return true;
    }
}
