package dev.crucible.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

/** The {@code CRUCIBLE_TEST_*} variables that {@code ./crucible test} sets for the integration tests. */
public final class StackVariables {
    private StackVariables() {}

    /** The variable's value; a missing one fails the test, which is never skipped. */
    public static String variable(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            fail(name + " is not set: run the integration tests through ./crucible test");
        }
        return value;
    }
}
