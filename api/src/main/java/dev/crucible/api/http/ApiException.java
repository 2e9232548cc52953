package dev.crucible.api.http;

import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Problem.CodeEnum;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Root of every failure that becomes an HTTP error. Each subclass fixes its status and stable code;
 * {@link HttpEdge} turns it into the one problem+json body.
 */
public abstract sealed class ApiException extends RuntimeException {
    private final int status;
    private final CodeEnum code;
    private final Duration retryAfter;

    private ApiException(int status, CodeEnum code, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.code = code;
        this.retryAfter = null;
    }

    private ApiException(int status, CodeEnum code, Duration retryAfter, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public CodeEnum code() {
        return code;
    }

    /** Field-level details, for {@link InvalidRequest}. */
    public List<FieldError> errors() {
        return List.of();
    }

    /** When to try again, for {@link TooManyRequests} and {@link QueueFull}; sent as {@code Retry-After}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** {@link #retryAfter()} as the {@code Retry-After} header's value: whole seconds, rounded up, at least 1. */
    public Optional<String> retryAfterHeader() {
        return retryAfter().map(wait -> Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }

    public static final class MalformedJson extends ApiException {
        public MalformedJson(String detail, Throwable cause) {
            super(400, CodeEnum.MALFORMED_JSON, detail, cause);
        }
    }

    public static final class InvalidCallbackUrl extends ApiException {
        public InvalidCallbackUrl(String detail) {
            super(400, CodeEnum.INVALID_CALLBACK_URL, detail, null);
        }
    }

    public static final class Unauthorized extends ApiException {
        public Unauthorized(String detail) {
            super(401, CodeEnum.UNAUTHORIZED, detail, null);
        }
    }

    public static final class Forbidden extends ApiException {
        public Forbidden(String detail) {
            super(403, CodeEnum.FORBIDDEN, detail, null);
        }
    }

    public static final class NotFound extends ApiException {
        public NotFound(String detail) {
            super(404, CodeEnum.NOT_FOUND, detail, null);
        }
    }

    public static final class MethodNotAllowed extends ApiException {
        private final String allowed;

        public MethodNotAllowed(String method, String path, String allowed) {
            super(405, CodeEnum.METHOD_NOT_ALLOWED, method + " is not allowed on " + path + "; allowed: " + allowed, null);
            this.allowed = allowed;
        }

        public String allowed() {
            return allowed;
        }
    }

    public static final class IdempotencyConflict extends ApiException {
        public IdempotencyConflict(String key) {
            super(409, CodeEnum.IDEMPOTENCY_CONFLICT, "Idempotency-Key '" + key + "' was used with another body", null);
        }
    }

    public static final class AlreadyFinal extends ApiException {
        public AlreadyFinal(String detail) {
            super(409, CodeEnum.ALREADY_FINAL, detail, null);
        }
    }

    /** A session that is still starting or has ended, asked to do what only a ready one does. */
    public static final class SessionNotReady extends ApiException {
        public SessionNotReady(String detail) {
            super(409, CodeEnum.SESSION_NOT_READY, detail, null);
        }
    }

    public static final class PayloadTooLarge extends ApiException {
        public PayloadTooLarge(String detail) {
            super(413, CodeEnum.PAYLOAD_TOO_LARGE, detail, null);
        }
    }

    public static final class UnsupportedMediaType extends ApiException {
        public UnsupportedMediaType(String detail) {
            super(415, CodeEnum.UNSUPPORTED_MEDIA_TYPE, detail, null);
        }
    }

    public static final class InvalidRequest extends ApiException {
        private final List<FieldError> errors;

        public InvalidRequest(List<FieldError> errors) {
            super(422, CodeEnum.INVALID_REQUEST, describe(errors), null);
            this.errors = List.copyOf(errors);
        }

        @Override
        public List<FieldError> errors() {
            return errors;
        }

        private static String describe(List<FieldError> errors) {
            return errors.size() == 1
                    ? errors.getFirst().getField() + ": " + errors.getFirst().getMessage()
                    : errors.size() + " fields are invalid, see errors";
        }
    }

    public static final class UnknownRuntime extends ApiException {
        public UnknownRuntime(String runtime) {
            super(422, CodeEnum.UNKNOWN_RUNTIME, "no runtime is named '" + runtime + "'; GET /v1/runtimes lists them", null);
        }
    }

    public static final class TooManyRequests extends ApiException {
        public TooManyRequests(String detail, Duration retryAfter) {
            super(429, CodeEnum.TOO_MANY_REQUESTS, retryAfter, detail);
        }
    }

    public static final class QueueFull extends ApiException {
        public QueueFull(String detail, Duration retryAfter) {
            super(503, CodeEnum.QUEUE_FULL, retryAfter, detail);
        }
    }

    public static final class ServiceUnavailable extends ApiException {
        public ServiceUnavailable(String detail, Throwable cause) {
            super(503, CodeEnum.SERVICE_UNAVAILABLE, detail, cause);
        }

        public ServiceUnavailable(String detail, Duration retryAfter) {
            super(503, CodeEnum.SERVICE_UNAVAILABLE, retryAfter, detail);
        }
    }
}
