package dev.crucible.api.webhook;

/**
 * The shape a submission's callback is sent in: that of the API the submission came in by, so that a
 * client written for Judge0 gets what Judge0 would send it.
 */
public enum CallbackFormat {
    /** {@code POST} of the submission as {@code GET /v1/submissions/{id}} shows it. */
    CRUCIBLE("crucible", "POST"),
    /** {@code PUT} of the submission as Judge0 CE 1.13.1 sends it: its default fields, base64. */
    JUDGE0("judge0", "PUT");

    private final String wireName;
    private final String method;

    CallbackFormat(String wireName, String method) {
        this.wireName = wireName;
        this.method = method;
    }

    /** As stored in {@code submissions.callback_format}. */
    public String wireName() {
        return wireName;
    }

    String method() {
        return method;
    }

    static CallbackFormat ofWireName(String name) {
        for (CallbackFormat format : values()) {
            if (format.wireName.equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("no callback format '" + name + "'");
    }
}
