package dev.crucible.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Whatever went wrong talking to Crucible, unchecked: an error answer (its HTTP status and, when the
 * body is an RFC 9457 problem, its fields), or no answer at all ({@link #status()} 0, the cause
 * says why). The message always carries the status and the problem's title, detail and type.
 */
public class CrucibleException extends RuntimeException {
    private static final ObjectMapper PROBLEMS = new ObjectMapper();
    /** A body that is not a problem (a proxy's HTML page, say) is quoted only this far. */
    private static final int QUOTED = 200;

    private final int status;
    private final String type;
    private final String title;
    private final String code;
    private final String detail;
    private final String body;

    private CrucibleException(String message, Throwable cause, int status, String type, String title, String code,
                              String detail, String body) {
        super(message, cause);
        this.status = status;
        this.type = type;
        this.title = title;
        this.code = code;
        this.detail = detail;
        this.body = body;
    }

    /** No answer, or one that could not be used; {@code status} 0 when there was none. */
    public CrucibleException(String message, Throwable cause) {
        this(message, cause, 0, null, null, null, null, null);
    }

    /** For subclasses that say something of their own (a deadline that passed). */
    protected CrucibleException(String message) {
        this(message, null, 0, null, null, null, null, null);
    }

    /** The error answer {@code status} with {@code body}, a problem or anything else. */
    public static CrucibleException answer(int status, String body) {
        return answer(status, body, null);
    }

    private static CrucibleException answer(int status, String body, Throwable cause) {
        JsonNode problem = problem(body);
        if (problem == null) {
            String quoted = body == null || body.isBlank() ? "no body" : quote(body);
            return new CrucibleException("HTTP " + status + ": " + quoted, cause, status, null, null, null, null, body);
        }
        String type = text(problem, "type");
        String title = text(problem, "title");
        String code = text(problem, "code");
        String detail = text(problem, "detail");
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        if (title != null) {
            message.append(": ").append(title);
        }
        if (detail != null) {
            message.append(": ").append(detail);
        }
        if (type != null) {
            message.append(" (").append(type).append(')');
        }
        return new CrucibleException(message.toString(), cause, status, type, title, code, detail, body);
    }

    /** What the generated APIs throw, as a CrucibleException: for code that uses both. */
    public static CrucibleException of(ApiException e) {
        if (e.getCode() == 0) {
            return noAnswer(e.getCause() != null ? e.getCause() : e);
        }
        return answer(e.getCode(), e.getResponseBody(), e);
    }

    static CrucibleException noAnswer(Throwable cause) {
        return new CrucibleException("no answer from Crucible: " + describe(cause), cause);
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    private static JsonNode problem(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = PROBLEMS.readTree(body);
            return node != null && node.isObject() && (node.has("title") || node.has("detail")) ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String text(JsonNode problem, String field) {
        JsonNode value = problem.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String quote(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= QUOTED ? line : line.substring(0, QUOTED) + "…";
    }

    /** The HTTP status of the error answer; 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The problem's {@code type} URI ({@code urn:crucible:problem:<code>}), or null without a problem body. */
    public String problemType() {
        return type;
    }

    /** The problem's {@code title}, or null. */
    public String title() {
        return title;
    }

    /** The problem's stable machine-readable {@code code} ({@code unknown_runtime}, ...), or null. */
    public String code() {
        return code;
    }

    /** The problem's {@code detail}, for a human, or null. */
    public String detail() {
        return detail;
    }

    /** The error answer's body as it came, or null. */
    public String responseBody() {
        return body;
    }
}
