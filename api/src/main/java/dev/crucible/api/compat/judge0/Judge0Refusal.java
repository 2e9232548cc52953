package dev.crucible.api.compat.judge0;

import dev.crucible.api.model.Judge0Error;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request the Judge0 routes refuse, with the status and body Judge0 answers it with: its own
 * shapes, {@code {"error": "..."}} and Rails' {@code {attribute: [messages]}}, not Crucible's problem.
 */
final class Judge0Refusal extends RuntimeException {
    private final int status;
    private final transient Object body;
    private final transient Map<String, List<String>> errors;

    private Judge0Refusal(int status, Object body, Map<String, List<String>> errors, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.body = body;
        this.errors = errors;
    }

    static Judge0Refusal of(int status, Judge0Error error) {
        return new Judge0Refusal(status, error, null, error.getError());
    }

    static Judge0Refusal of(int status, String error) {
        return of(status, new Judge0Error(error));
    }

    static Judge0Refusal badRequest(String error) {
        return of(400, error);
    }

    /** A submission's validation errors, 422, keyed by Judge0's attribute names. */
    static Judge0Refusal invalid(Map<String, List<String>> errors) {
        Map<String, List<String>> copy = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        return new Judge0Refusal(422, copy, copy, copy.toString());
    }

    /** What Rails answers for a record it cannot find. */
    static Judge0Refusal notFound() {
        return of(404, new Judge0Error("Not Found").status(404));
    }

    int status() {
        return status;
    }

    Object body() {
        return body;
    }

    /** A validation refusal's errors by attribute; empty for any other refusal. */
    Optional<Map<String, List<String>>> errors() {
        return Optional.ofNullable(errors);
    }
}
