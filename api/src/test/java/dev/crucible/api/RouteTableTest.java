package dev.crucible.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crucible.api.auth.KeysResource;
import dev.crucible.api.compat.judge0.Judge0Resource;
import dev.crucible.api.compat.piston.PistonResource;
import dev.crucible.api.evaluation.EvaluationsResource;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.Json;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.runtime.RuntimesResource;
import dev.crucible.api.submission.SubmissionsResource;
import dev.crucible.api.session.SessionsResource;
import dev.crucible.api.system.SystemResource;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The server's route table and the contract, {@code openapi.yaml}, name the same operations. */
class RouteTableTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** Only the route table is read: no handler runs, so the resources need nothing behind them. */
    private static Map<String, Access> served() {
        return Main.routes(new SubmissionsResource(null, null, null, null, Json.mapper(), null, null),
                new SessionsResource(null, null, null, null, null, Json.mapper(), null, Duration.ofSeconds(30), null, null, null),
                new KeysResource(null, null, null),
                new RuntimesResource(null, null, null), new SystemResource(null, null),
                new PistonResource(RuntimeCatalog.load(Path.of("..", "runtimes")), null, null, new JsonBody(Json.mapper(), 1),
                        Optional.empty()),
                new Judge0Resource(RuntimeCatalog.load(Path.of("..", "runtimes")), new ApiConfig.RunLimits(30_000, 1024, 65_536),
                        new ApiConfig.Admission(100, 50, Duration.ofSeconds(30), 16 << 20), null, null),
                new EvaluationsResource(null, RuntimeCatalog.load(Path.of("..", "runtimes")), 10, null, null, Json.mapper(), key -> true))
                .routes();
    }

    /** Each operation of the contract, as {@code METHOD /path}, with whether it needs a key. */
    private static Map<String, Boolean> contract() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("..", "openapi.yaml")));
        boolean keyedByDefault = !spec.path("security").isEmpty();
        Map<String, Boolean> operations = new TreeMap<>();
        spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (METHODS.contains(operation.getKey())) {
                JsonNode security = operation.getValue().get("security");
                operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                        security == null ? keyedByDefault : !security.isEmpty());
            }
        }));
        return operations;
    }

    @Test
    void routesAreTheContractsOperations() throws Exception {
        assertEquals(contract().keySet(), new TreeSet<>(served().keySet()));
    }

    @Test
    void routesNeedAKeyWhereTheContractDoes() throws Exception {
        Map<String, Boolean> keyed = new TreeMap<>();
        served().forEach((route, access) -> keyed.put(route, access instanceof Access.Key));
        assertEquals(contract(), keyed);
    }
}
