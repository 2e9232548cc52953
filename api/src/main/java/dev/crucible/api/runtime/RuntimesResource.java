package dev.crucible.api.runtime;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.generated.RuntimesApi;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.Runtime;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code GET /v1/runtimes}: the catalog, with each runtime's defaults and the server's maxima. */
public final class RuntimesResource implements RuntimesApi {
    private final RuntimeCatalog catalog;
    private final ApiConfig.RunLimits limits;
    private final RuntimePackages packages;

    /** @param packages the versions the runs reported */
    public RuntimesResource(RuntimeCatalog catalog, ApiConfig.RunLimits limits, RuntimePackages packages) {
        this.catalog = catalog;
        this.limits = limits;
        this.packages = packages;
    }

    @Override
    public List<Runtime> listRuntimes() {
        Map<String, Map<String, String>> versions = packages.byRuntime(catalog.all().stream()
                .collect(Collectors.toMap(RuntimeManifest::name, r -> r.image().tag())));
        return catalog.all().stream().map(r -> view(r).packageVersions(versions.get(r.name()))).toList();
    }

    private Runtime view(RuntimeManifest manifest) {
        Limits defaults = new Limits()
                .wallTimeMs(Math.min(manifest.defaultLimits().wallTimeMs(), limits.maxWallTimeMs()))
                .memoryMb(Math.min(manifest.defaultLimits().memoryMb(), limits.maxMemoryMb()));
        Limits maxima = new Limits().wallTimeMs(limits.maxWallTimeMs()).memoryMb(limits.maxMemoryMb());
        return new Runtime(manifest.name(), manifest.version(), manifest.aliases(), manifest.sourceFile(), defaults, maxima)
                .compiled(manifest.compiled()).compileOptions(manifest.compile().options()).packages(manifest.image().packages());
    }

    public void addRoutes(Router router) {
        router.add("GET", "/v1/runtimes", Access.anyKey(), request -> Response.ok(listRuntimes()));
    }
}
