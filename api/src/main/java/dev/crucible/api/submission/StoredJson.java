package dev.crucible.api.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.queue.ExecutionEvent;
import java.util.List;

/**
 * The stored form of a submission's test results, test cases, runs, output files and provenance: JSON text, outputs base64
 * (PostgreSQL text holds no NUL).
 */
final class StoredJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<List<ExecutionEvent.TestOutcome>> TESTS = new TypeReference<>() {};
    static final TypeReference<ExecutionEvent.Provenance> PROVENANCE = new TypeReference<>() {};
    static final TypeReference<List<ExecutionEvent.ProgramResult>> RUNS = new TypeReference<>() {};
    static final TypeReference<List<ExecutionEvent.OutputFile>> OUTPUT_FILES = new TypeReference<>() {};
    static final TypeReference<List<ExecutionEvent.TestCaseOutcome>> TEST_CASES = new TypeReference<>() {};

    private StoredJson() {}

    /** JSON text of {@code value}, or null for null. */
    static String write(Object value) {
        try {
            return value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** The value stored as JSON text, or null for null. */
    static <T> T read(String stored, TypeReference<T> type) {
        try {
            return stored == null ? null : JSON.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type.getType() + " is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
