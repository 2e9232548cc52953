package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponseBudgetTest {
    private static final long MIB = 1 << 20;
    private final ResponseBudget budget = new ResponseBudget(8 * MIB);

    @Test
    void smallAnswersTakeNothing() {
        try (ResponseBudget.Held _ = budget.admit(ResponseBudget.SMALL)) {
            assertEquals(8192, budget.availableKib());
        }
    }

    @Test
    void aLargeAnswerHoldsItsSizeUntilItIsSent() {
        try (ResponseBudget.Held _ = budget.admit(3 * MIB)) {
            assertEquals(5 * 1024, budget.availableKib());
        }
        assertEquals(8 * 1024, budget.availableKib());
    }

    @Test
    void pastTheBudgetTheAnswerIs503WithRetryAfter() {
        try (ResponseBudget.Held _ = budget.admit(5 * MIB)) {
            ApiException refused = assertThrows(ApiException.ServiceUnavailable.class, () -> budget.admit(4 * MIB));
            assertEquals(503, refused.status());
            assertEquals(Duration.ofSeconds(1), refused.retryAfter().orElseThrow());
            assertTrue(refused.getMessage().contains("4096 KiB"), refused.getMessage());
        }
        assertEquals(8 * 1024, budget.availableKib(), "a refused answer takes nothing");
    }

    @Test
    void anAnswerLargerThanTheWholeBudgetWaitsForAllOfIt() {
        try (ResponseBudget.Held _ = budget.admit(100 * MIB)) {
            assertEquals(0, budget.availableKib());
        }
        assertEquals(8 * 1024, budget.availableKib());
    }
}
