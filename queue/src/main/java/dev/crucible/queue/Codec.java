package dev.crucible.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON for stream entries; byte arrays travel as base64. */
final class Codec {
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new QueueException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    <T> T read(String json, Class<T> type, String entryId) {
        if (json == null) {
            throw new UnreadableEntryException(entryId, type, new IllegalArgumentException("the entry has no body field"));
        }
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UnreadableEntryException(entryId, type, e);
        }
    }
}
