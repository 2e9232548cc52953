package dev.crucible.api.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.queue.ExecutionEvent;
import java.util.List;

/**
 * The stored form of a submission's test results and provenance: JSON text, outputs base64
 * (PostgreSQL text holds no NUL).
 */
final class TestResults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ExecutionEvent.TestOutcome>> LIST = new TypeReference<>() {};

    private TestResults() {}

    static String write(List<ExecutionEvent.TestOutcome> tests) {
        try {
            return JSON.writeValueAsString(tests);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode test results", e);
        }
    }

    static String writeProvenance(ExecutionEvent.Provenance provenance) {
        try {
            return JSON.writeValueAsString(provenance);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode provenance", e);
        }
    }

    static ExecutionEvent.Provenance readProvenance(String stored) {
        try {
            return stored == null ? null : JSON.readValue(stored, ExecutionEvent.Provenance.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored provenance is not readable: " + e.getOriginalMessage(), e);
        }
    }

    static List<ExecutionEvent.TestOutcome> read(String stored) {
        if (stored == null) {
            return List.of();
        }
        try {
            return JSON.readValue(stored, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored test results are not readable: " + e.getOriginalMessage(), e);
        }
    }
}
