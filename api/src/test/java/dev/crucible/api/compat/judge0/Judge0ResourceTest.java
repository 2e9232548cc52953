package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.ApiConfig;
import dev.crucible.api.model.Judge0SubmissionRequest;
import dev.crucible.runtime.RuntimeCatalog;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Judge0ResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Only what needs nothing behind it: reading requests and naming fields. */
    private final Judge0Resource resource = new Judge0Resource(RuntimeCatalog.load(Path.of("..", "runtimes")),
            new ApiConfig.RunLimits(30_000, 1024, 65_536), new ApiConfig.Admission(100, 50, Duration.ofSeconds(30), 16 << 20), null, null);

    private Judge0SubmissionRequest read(String json) throws Exception {
        return resource.submission(JSON.readTree(json));
    }

    @Test
    void unknownAttributesAreIgnoredAndNumbersMayBeStringsAsRailsTakesThem() throws Exception {
        Judge0SubmissionRequest request = read("{\"language_id\": \"71\", \"source_code\": \"x\", \"cpu_time_limit\": \"2.5\","
                + " \"memory_limit\": 128000.0, \"redirect_stderr_to_stdout\": \"true\", \"language\": {\"id\": 71}}");
        assertEquals(71, request.getLanguageId());
        assertEquals(new BigDecimal("2.5"), request.getCpuTimeLimit());
        assertEquals(0, new BigDecimal("128000").compareTo(request.getMemoryLimit()));
        assertEquals(Boolean.TRUE, request.getRedirectStderrToStdout());
    }

    @Test
    void aValueOfTheWrongTypeIsA422OnItsAttribute() {
        var e = assertThrows(Judge0Refusal.class, () -> read("{\"language_id\": 71, \"cpu_time_limit\": \"soon\"}"));
        assertEquals(422, e.status());
        assertEquals(Map.of("cpu_time_limit", List.of("is not a number")), e.errors().orElseThrow());
    }

    @Test
    void crucibleFieldsAreNamedAsTheJudge0AttributesTheyCameFrom() {
        assertEquals("source_code", Judge0Resource.judge0Field("source"));
        assertEquals("stdin", Judge0Resource.judge0Field("stdin"));
        assertEquals("command_line_arguments", Judge0Resource.judge0Field("args[3]"));
        assertEquals("expected_output", Judge0Resource.judge0Field("tests"));
        assertEquals("memory_limit", Judge0Resource.judge0Field("limits.memory_mb"));
        assertEquals("wall_time_limit", Judge0Resource.judge0Field("limits"));
        assertEquals("number_of_runs", Judge0Resource.judge0Field("runs"));
        assertEquals("base", Judge0Resource.judge0Field("submissions"));
    }

    @Test
    void aBatchOfNoneOrTooManyIsJudge0s400() {
        var none = assertThrows(Judge0Refusal.class, () -> resource.createBatch(List.of(), false));
        assertEquals("there should be at least one submission in a batch", none.getMessage());
        var item = new Judge0Resource.Item.Read(new Judge0SubmissionRequest(71).sourceCode("x"));
        var many = assertThrows(Judge0Refusal.class, () -> resource.createBatch(java.util.Collections.nCopies(21, item), false));
        assertEquals(400, many.status());
        assertEquals("number of submissions in a batch should be less than or equal to 20", many.getMessage());
    }

    @Test
    void tokensThatAreNoneAreJudge0s400() {
        var e = assertThrows(Judge0Refusal.class, () -> resource.getJudge0Batch("  ", null, null));
        assertEquals("there should be at least one submission in a batch", e.getMessage());
        var invalid = assertThrows(Judge0Refusal.class, () -> resource.getJudge0Batch("a", null, "nope"));
        assertEquals("invalid fields: [nope]", invalid.getMessage(), "fields are checked before tokens, as Judge0 does");
    }
}
