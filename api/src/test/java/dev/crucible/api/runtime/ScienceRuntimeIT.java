package dev.crucible.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.StackUnderTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The python-science runtime: numpy, scipy, pandas and pytest from Debian's packages, under its default limits. */
class ScienceRuntimeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackUnderTest stack = new StackUnderTest();

    private JsonNode run(String source) {
        var answer = stack.submit(JSON.createObjectNode().put("runtime", "python-science").put("source", source).toString());
        assertEquals(200, answer.status(), answer.raw().body());
        return answer.body();
    }

    @Test
    void numpyScipyAndPandasComputeUnderTheDefaultLimits() {
        JsonNode result = run("""
                import numpy as np, pandas as pd
                from scipy import optimize
                a = np.random.default_rng(1).random((400, 400))
                print(np.allclose(a @ np.linalg.inv(a), np.eye(400), atol=1e-6))
                frame = pd.DataFrame({'k': np.arange(200_000) % 7, 'v': np.ones(200_000)})
                print(int(frame.groupby('k')['v'].sum().sum()))
                print(round(optimize.minimize_scalar(lambda x: (x - 3) ** 2).x, 4))
                """);
        assertEquals("accepted", result.get("verdict").asText(), result.toString());
        assertEquals("True\n200000\n3.0\n", result.get("stdout").asText());
        assertEquals(512, result.get("limits").get("memory_mb").asLong(), "the runtime's own default limit");
        List<String> packages = new ArrayList<>();
        result.get("provenance").get("packages").forEach(p -> packages.add(p.asText()));
        assertTrue(packages.stream().anyMatch(p -> p.matches("python3-numpy=1:1\\.24\\..*")), "the image's numpy, as built: " + packages);
    }

    @Test
    void pytestRunsATestSuite() {
        JsonNode result = run("""
                import sys, pytest
                open('test_maths.py', 'w').write('def test_add():\\n    assert 1 + 1 == 2\\n\\ndef test_wrong():\\n    assert 1 + 1 == 3\\n')
                sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'test_maths.py']))
                """);
        assertEquals("runtime_error", result.get("verdict").asText(), "one of the two tests fails: " + result);
        assertEquals(1, result.get("exit_code").asInt());
        assertTrue(result.get("stdout").asText().contains("1 failed, 1 passed"), result.get("stdout").asText());
    }

    @Test
    void theRuntimeListsItsPackagesWithTheVersionsItsRunsReport() {
        run("print(1)");
        var answer = stack.get("/v1/runtimes", stack.adminKey());
        List<String> packages = new ArrayList<>();
        for (JsonNode runtime : answer.body()) {
            if (runtime.get("name").asText().equals("python-science")) {
                runtime.get("packages").forEach(p -> packages.add(p.asText()));
                assertTrue(runtime.path("package_versions").path("python3-scipy").asText().startsWith("1.10"), runtime.toString());
            }
        }
        assertTrue(packages.containsAll(List.of("python3-numpy", "python3-scipy", "python3-pandas", "python3-pytest")), packages.toString());
    }
}
