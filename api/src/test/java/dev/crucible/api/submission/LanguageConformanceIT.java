package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.StackUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every runtime under runtimes/, through the API: its language's everyday file, directory,
 * {@code /proc} and clock operations give what they give on an ordinary Linux. The programs are in
 * test resources under conformance/, one per runtime; a runtime without one fails here.
 */
class LanguageConformanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROGRAMS = Path.of("src/test/resources/conformance");
    private final StackUnderTest stack = new StackUnderTest();

    static Stream<String> runtimes() throws IOException {
        try (Stream<Path> manifests = Files.list(Path.of(StackUnderTest.variable("CRUCIBLE_TEST_RUNTIMES_DIR")))) {
            return manifests.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList().stream();
        }
    }

    private static Optional<Path> program(String runtime) throws IOException {
        try (Stream<Path> files = Files.list(PROGRAMS)) {
            return files.filter(p -> p.getFileName().toString().startsWith(runtime + ".")).findFirst();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void everydayOperationsOfTheLanguageWork(String runtime) throws IOException {
        Path program = program(runtime).orElse(null);
        assertTrue(program != null, "runtime " + runtime + " has no conformance program in " + PROGRAMS);
        ObjectNode request = JSON.createObjectNode().put("runtime", runtime)
                .put("source", Files.readString(program, StandardCharsets.UTF_8));
        request.putObject("limits").put("wall_time_ms", 15_000);
        var answer = stack.submit(request.toString());
        JsonNode result = answer.body();
        assertEquals("accepted", result.get("verdict").asText(), answer.raw().body());
        assertEquals("", result.get("stderr").asText(), "nothing complains on stderr");
        assertEquals("hello\n6\ne x.txt y.txt\ntrue\n" + Year.now(ZoneOffset.UTC) + "\ntmp ok\n", result.get("stdout").asText());
    }
}
