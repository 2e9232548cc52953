package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.StackUnderTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/submissions through the real api, with a key of its own. */
class ListingIT {
    private final StackUnderTest stack = new StackUnderTest();
    private String key;
    private final List<String> submitted = new ArrayList<>();

    @BeforeEach
    void submitFive() {
        key = stack.post("/v1/keys", "application/json", "{\"name\":\"listing\",\"role\":\"submitter\",\"max_active\":10}",
                stack.adminKey()).body().get("key").asText();
        for (int i = 0; i < 5; i++) {
            String runtime = i == 4 ? "bash" : "python";
            String source = i == 4 ? "echo 4" : "print(" + i + ")";
            var answer = stack.post("/v1/submissions?wait=true", "application/json",
                    "{\"runtime\":\"" + runtime + "\",\"source\":\"" + source + "\"}", key);
            submitted.add(answer.body().get("id").asText());
        }
    }

    private List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void pagesWalkEverySubmissionNewestFirst() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = stack.get("/v1/submissions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertEquals(200, page.status(), page.raw().body());
            seen.addAll(ids(page.body()));
            cursor = page.body().has("next_cursor") ? page.body().get("next_cursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(submitted.reversed(), seen);
    }

    @Test
    void itemsCarryNoOutputs() {
        JsonNode item = stack.get("/v1/submissions?limit=1", key).body().get("items").get(0);
        assertEquals("accepted", item.get("verdict").asText());
        assertFalse(item.has("stdout"));
    }

    @Test
    void filtersNarrowTheList() {
        assertEquals(List.of(submitted.get(4)), ids(stack.get("/v1/submissions?runtime=bash", key).body()));
        assertEquals(5, ids(stack.get("/v1/submissions?status=completed&verdict=accepted", key).body()).size());
        assertTrue(ids(stack.get("/v1/submissions?created_after=2999-01-01T00:00:00Z", key).body()).isEmpty());
    }

    @Test
    void anotherKeysSubmissionsAreNotListed() {
        List<String> admins = ids(stack.get("/v1/submissions?limit=200", stack.adminKey()).body());
        for (String id : submitted) {
            assertFalse(admins.contains(id));
        }
    }

    @Test
    void badParametersAreRefused() {
        assertEquals(422, stack.get("/v1/submissions?limit=0", key).status());
        assertEquals(422, stack.get("/v1/submissions?cursor=bm9wZQ", key).status());
        assertEquals(422, stack.get("/v1/submissions?status=sleeping", key).status());
        assertEquals(422, stack.get("/v1/submissions?created_after=yesterday", key).status());
    }
}
