package dev.crucible.api.auth;

import dev.crucible.api.generated.KeysApi;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.CreatedKey;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Key;
import dev.crucible.api.model.KeyRequest;
import dev.crucible.api.model.Role;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code /v1/keys}: key management, for admin keys only. */
public final class KeysResource implements KeysApi {
    private static final Access ADMINS = Access.roles(Caller.Role.ADMIN);
    private static final int DEFAULT_RATE = 60;
    private static final int DEFAULT_ACTIVE = 8;
    private static final int MAX_RETENTION_DAYS = 36_500;
    private static final long DEFAULT_SUBMISSION_SANDBOX_MS = 120_000;
    private static final long DEFAULT_SANDBOX_MS_PER_MINUTE = 600_000;
    private static final long DEFAULT_SANDBOX_MS_PER_HOUR = 7_200_000;
    /** The least sandbox time a budget may be: the shortest wall limit a run may have. */
    private static final long MIN_SANDBOX_MS = 100;

    private final ApiKeyStore keys;
    private final Erasure erasure;
    private final JsonBody body;

    /** Erases the content of every submission of a key; the submissions' part of {@code DELETE /v1/keys/{id}?purge=true}. */
    @FunctionalInterface
    public interface Erasure {
        /** @return how many submissions were erased */
        int eraseAll(Caller admin, UUID keyId);
    }

    public KeysResource(ApiKeyStore keys, Erasure erasure, JsonBody body) {
        this.keys = keys;
        this.erasure = erasure;
        this.body = body;
    }

    @Override
    public CreatedKey createKey(KeyRequest request) {
        Caller admin = Caller.current();
        List<FieldError> errors = new ArrayList<>();
        String name = request.getName();
        if (name == null || name.isBlank() || name.length() > 64 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(new FieldError("name", "must be 1..64 printable characters"));
        }
        if (request.getRole() == null) {
            errors.add(new FieldError("role", "is missing"));
        }
        var quotas = new ApiKeyStore.Quotas(
                (int) bounded(errors, "rate_per_minute", request.getRatePerMinute(), DEFAULT_RATE, 1, 10_000),
                (int) bounded(errors, "max_active", request.getMaxActive(), DEFAULT_ACTIVE, 1, 1_000),
                bounded(errors, "max_submission_sandbox_ms", request.getMaxSubmissionSandboxMs(), DEFAULT_SUBMISSION_SANDBOX_MS,
                        MIN_SANDBOX_MS, 100_000_000L),
                bounded(errors, "sandbox_ms_per_minute", request.getSandboxMsPerMinute(), DEFAULT_SANDBOX_MS_PER_MINUTE,
                        MIN_SANDBOX_MS, 10_000_000_000L),
                bounded(errors, "sandbox_ms_per_hour", request.getSandboxMsPerHour(), DEFAULT_SANDBOX_MS_PER_HOUR,
                        MIN_SANDBOX_MS, 100_000_000_000L));
        Integer retentionDays = request.getRetentionDays();
        if (retentionDays != null) {
            bounded(errors, "retention_days", retentionDays, 0, 1, MAX_RETENTION_DAYS);
        }
        if (!errors.isEmpty()) {
            throw new ApiException.InvalidRequest(errors);
        }
        Caller.Role role = Caller.Role.valueOf(request.getRole().name());
        ApiKeyStore.NewKey created = keys.create(admin, name, role, quotas, retentionDays);
        ApiKeyStore.StoredKey s = created.stored();
        return new CreatedKey(s.id(), s.name(), Role.fromValue(s.role().value()), s.quotas().ratePerMinute(),
                s.quotas().maxActive(), time(s.createdAt()), created.key(), created.webhookSecret())
                .retentionDays(s.retentionDays()).maxSubmissionSandboxMs(s.quotas().maxSubmissionSandboxMs())
                .sandboxMsPerMinute(s.quotas().sandboxMsPerMinute()).sandboxMsPerHour(s.quotas().sandboxMsPerHour());
    }

    @Override
    public List<Key> listKeys() {
        return keys.list().stream().map(s -> new Key(s.id(), s.name(), Role.fromValue(s.role().value()),
                        s.quotas().ratePerMinute(), s.quotas().maxActive(), time(s.createdAt()))
                .retentionDays(s.retentionDays()).maxSubmissionSandboxMs(s.quotas().maxSubmissionSandboxMs())
                .sandboxMsPerMinute(s.quotas().sandboxMsPerMinute()).sandboxMsPerHour(s.quotas().sandboxMsPerHour())
                .sandboxMsLastMinute(s.use().lastMinuteMs()).sandboxMsLastHour(s.use().lastHourMs())
                .revokedAt(time(s.revokedAt()))).toList();
    }

    @Override
    public void revokeKey(UUID id, Boolean purge) {
        Caller admin = Caller.current();
        if (!keys.revoke(admin, id)) {
            throw new ApiException.NotFound("no API key " + id);
        }
        // Revoked first, so that the key adds nothing while its content is erased.
        if (Boolean.TRUE.equals(purge)) {
            erasure.eraseAll(admin, id);
        }
    }

    public void addRoutes(Router router) {
        router.add("POST", "/v1/keys", ADMINS,
                request -> new Response(201, createKey(body.read(request.exchange(), KeyRequest.class))));
        router.add("GET", "/v1/keys", ADMINS, request -> Response.ok(listKeys()));
        router.add("DELETE", "/v1/keys/{id}", ADMINS, request -> {
            revokeKey(request.idParameter("id", raw -> "no API key " + raw), request.flag("purge"));
            return new Response(204, null);
        });
    }

    private static long bounded(List<FieldError> errors, String field, Number value, long fallback, long min, long max) {
        if (value == null) {
            return fallback;
        }
        long given = value.longValue();
        if (given < min || given > max) {
            errors.add(new FieldError(field, "is " + given + "; allowed " + min + ".." + max));
        }
        return given;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
