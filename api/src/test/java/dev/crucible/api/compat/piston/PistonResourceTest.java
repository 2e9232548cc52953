package dev.crucible.api.compat.piston;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.http.Json;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.model.PistonExecuteResult;
import dev.crucible.api.model.PistonStage;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PistonResourceTest {
    private final PistonResource resource = new PistonResource(RuntimeCatalog.load(Path.of("..", "runtimes")), null, null,
            new JsonBody(Json.mapper(), 1), Optional.empty());

    @Test
    void aStageWritesItsNullCodeAndSignal() {
        String json = resource.json(new PistonExecuteResult("python", "3.11", new PistonStage("", "", "").signal("SIGKILL")));
        assertTrue(json.contains("\"code\":null"), json);
        assertTrue(json.contains("\"message\":null"), json);
    }

    @Test
    void anAbsentCompileStageIsLeftOut() {
        String json = resource.json(new PistonExecuteResult("python", "3.11", new PistonStage("", "", "")));
        assertFalse(json.contains("compile"), json);
    }
}
