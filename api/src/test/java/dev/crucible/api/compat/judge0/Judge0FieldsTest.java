package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class Judge0FieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void noFieldsAreJudge0sDefaultEight() {
        for (String none : new String[] {null, "", ","}) {
            assertEquals(Judge0Fields.DEFAULT, Judge0Fields.parse(none), String.valueOf(none));
        }
        assertEquals(8, Judge0Fields.DEFAULT.names().size());
        assertTrue(Judge0Fields.DEFAULT.has("compile_output"));
        assertFalse(Judge0Fields.DEFAULT.has("exit_code"));
    }

    @Test
    void aStarIsEveryAttribute() {
        assertEquals(35, Judge0Fields.parse("*").names().size());
        assertEquals(Judge0Fields.parse("*"), Judge0Fields.parse("token,*"));
    }

    @Test
    void unknownFieldsAreA400NamingEachAsJudge0Does() {
        var e = assertThrows(Judge0Refusal.class, () -> Judge0Fields.parse("token,foo,bar,foo"));
        assertEquals(400, e.status());
        assertEquals("invalid fields: [foo, bar]", e.getMessage());
    }

    @Test
    void namesAreNotTrimmedAsJudge0DoesNotTrimThem() {
        var e = assertThrows(Judge0Refusal.class, () -> Judge0Fields.parse("token, status"));
        assertEquals("invalid fields: [ status]", e.getMessage());
    }

    @Test
    void theSelectionKeepsNullsAndJudge0sOrder() throws Exception {
        JsonNode full = JSON.readTree("{\"status\": {\"id\": 3}, \"stdout\": null, \"token\": \"t\", \"time\": \"0.1\"}");
        JsonNode selected = Judge0Fields.parse("status,stdout,token").select(full);
        assertEquals(List.of("stdout", "token", "status"), List.copyOf(selected.propertyStream().map(e -> e.getKey()).toList()));
        assertTrue(selected.get("stdout").isNull());
        assertFalse(selected.has("time"));
    }
}
