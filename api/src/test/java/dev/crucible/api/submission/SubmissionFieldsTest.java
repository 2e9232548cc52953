package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.Json;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.model.Verdict;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubmissionFieldsTest {
    private final SubmissionFields fields = new SubmissionFields(Json.mapper());

    @Test
    void noParameterMeansTheWholeSubmission() {
        assertEquals(Optional.empty(), fields.parse(Optional.empty()));
    }

    @Test
    void theIdIsAlwaysThere() {
        assertEquals(Set.of("id", "verdict"), fields.parse(Optional.of("verdict")).orElseThrow());
    }

    @Test
    void aNameNoSubmissionHasIs422NamingIt() {
        var refused = assertThrows(ApiException.InvalidRequest.class, () -> fields.parse(Optional.of("status,stdot")));
        assertEquals("fields", refused.errors().getFirst().getField());
        assertTrue(refused.getMessage().contains("'stdot' is no field of a submission") && refused.getMessage().contains("stdout"),
                refused.getMessage());
    }

    @Test
    void selectingKeepsOnlyTheFieldsAskedFor() {
        Submission whole = new Submission(UUID.randomUUID(), SubmissionStatus.COMPLETED, "python", OffsetDateTime.now())
                .verdict(Verdict.ACCEPTED).stdout("a lot of output");
        JsonNode narrowed = fields.select(whole, fields.parse(Optional.of("status, verdict")).orElseThrow());
        Set<String> names = new HashSet<>();
        narrowed.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("id", "status", "verdict"), names);
        assertEquals("accepted", narrowed.get("verdict").asText());
    }
}
