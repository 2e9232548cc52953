package dev.crucible.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Every runtime this installation offers, looked up by name or alias. Immutable once loaded. */
public final class RuntimeCatalog {
    private final List<RuntimeManifest> runtimes;
    private final Map<String, RuntimeManifest> byNameOrAlias;

    private RuntimeCatalog(List<RuntimeManifest> runtimes) {
        this.runtimes = List.copyOf(runtimes);
        Map<String, RuntimeManifest> index = new HashMap<>();
        for (RuntimeManifest runtime : runtimes) {
            for (String key : names(runtime)) {
                RuntimeManifest clash = index.putIfAbsent(key, runtime);
                if (clash != null) {
                    throw new RuntimeCatalogException("runtime name or alias '" + key + "' is claimed by both "
                            + clash.name() + " and " + runtime.name());
                }
            }
        }
        this.byNameOrAlias = Map.copyOf(index);
    }

    /** Reads every {@code *.json} file in {@code directory}; fails on the first broken one. */
    public static RuntimeCatalog load(Path directory) {
        ManifestParser parser = new ManifestParser();
        List<RuntimeManifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                manifests.add(parser.parse(file, Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new RuntimeCatalogException("cannot read runtime manifests from " + directory.toAbsolutePath(), e);
        }
        if (manifests.isEmpty()) {
            throw new RuntimeCatalogException("no runtime manifest (*.json) in " + directory.toAbsolutePath());
        }
        manifests.sort(Comparator.comparing(RuntimeManifest::name));
        return new RuntimeCatalog(manifests);
    }

    public List<RuntimeManifest> all() {
        return runtimes;
    }

    public Optional<RuntimeManifest> find(String nameOrAlias) {
        return Optional.ofNullable(nameOrAlias).map(byNameOrAlias::get);
    }

    private static List<String> names(RuntimeManifest runtime) {
        List<String> names = new ArrayList<>(runtime.aliases());
        names.addFirst(runtime.name());
        return names;
    }
}
