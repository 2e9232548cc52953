package dev.crucible.api.auth;

import dev.crucible.api.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys in PostgreSQL, stored only as SHA-256 hashes. Keys are 32 random bytes, so a fast hash is
 * enough: there is nothing to brute-force that a slow hash would protect. Each key is looked up on
 * every request, so a revoked key stops working at once.
 */
public final class ApiKeyStore {
    private static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Jdbi jdbi;
    private final WebhookSecretSeal seal;

    public ApiKeyStore(Jdbi jdbi, WebhookSecretSeal seal) {
        this.jdbi = jdbi;
        this.seal = seal;
    }

    /**
     * A key as stored: never the key itself.
     *
     * @param retentionDays how long its submissions keep their content; null keeps the server's retention
     */
    public record StoredKey(UUID id, String name, Caller.Role role, Quotas quotas, Integer retentionDays, SandboxUse use,
                            Instant createdAt, Instant revokedAt) {}

    /**
     * What a key may do: submissions per minute and at once, and sandbox time (worst case: tests x
     * runs x wall limit, plus compile) per submission, per minute and per hour.
     */
    public record Quotas(int ratePerMinute, int maxActive, long maxSubmissionSandboxMs, long sandboxMsPerMinute,
                         long sandboxMsPerHour) {
        /** The bootstrap admin's: generous, not unlimited. */
        static final Quotas BOOTSTRAP = new Quotas(1000, 64, 3_600_000, 30_000_000, 600_000_000);
    }

    /** The worst-case sandbox time of a key's submissions created in the last minute and hour. */
    public record SandboxUse(long lastMinuteMs, long lastHourMs) {
        static final SandboxUse NONE = new SandboxUse(0, 0);
    }

    /** A key just made: the only time the key and its webhook secret are seen. */
    public record NewKey(StoredKey stored, String key, String webhookSecret) {}

    /**
     * Makes {@code key} the bootstrap admin key: stores its hash if new, and revokes an earlier
     * bootstrap key (the configured key changed). Its quotas are generous, not unlimited. A key
     * that was revoked stays revoked: configure a new one to regain admin access.
     */
    public void installBootstrapAdmin(String key) {
        byte[] hash = hash(key);
        UUID id = UUID.randomUUID();
        jdbi.useTransaction(h -> {
            h.createUpdate("update api_keys set revoked_at = now() where name = :name and key_hash <> :hash and revoked_at is null")
                    .bind("name", BOOTSTRAP_NAME).bind("hash", hash).execute();
            h.createUpdate("""
                    insert into api_keys (id, name, role, key_hash, rate_per_minute, max_active, webhook_secret,
                                          max_submission_sandbox_ms, sandbox_ms_per_minute, sandbox_ms_per_hour)
                    values (:id, :name, 'admin', :hash, :q.ratePerMinute, :q.maxActive, :secret,
                            :q.maxSubmissionSandboxMs, :q.sandboxMsPerMinute, :q.sandboxMsPerHour)
                    on conflict (key_hash) do update set rate_per_minute = excluded.rate_per_minute, max_active = excluded.max_active,
                        max_submission_sandbox_ms = excluded.max_submission_sandbox_ms,
                        sandbox_ms_per_minute = excluded.sandbox_ms_per_minute, sandbox_ms_per_hour = excluded.sandbox_ms_per_hour""")
                    .bind("id", id).bind("name", BOOTSTRAP_NAME).bind("hash", hash)
                    .bindMethods("q", Quotas.BOOTSTRAP).bind("secret", seal.seal(webhookSecret(key), id)).execute();
            // A row that was there already keeps its id: its missing secret is sealed to that id, not the new one.
            h.createQuery("select id from api_keys where key_hash = :hash and webhook_secret is null")
                    .bind("hash", hash).mapTo(UUID.class).findOne()
                    .ifPresent(existing -> h.createUpdate("update api_keys set webhook_secret = :secret where id = :id")
                            .bind("secret", seal.seal(webhookSecret(key), existing)).bind("id", existing).execute());
        });
    }

    Optional<Caller> find(String key, String clientAddress) {
        return jdbi.withHandle(h -> h.createQuery("select id, role from api_keys where key_hash = :hash and revoked_at is null")
                .bind("hash", hash(key))
                .map((rs, ctx) -> new Caller(rs.getObject("id", UUID.class), role(rs.getString("role")), clientAddress))
                .findOne());
    }

    /** The key of this id, unless it is revoked: for a route's anonymous key, which is named by id, never by secret. */
    Optional<Caller> findById(UUID id, String clientAddress) {
        return jdbi.withHandle(h -> h.createQuery("select id, role from api_keys where id = :id and revoked_at is null")
                .bind("id", id)
                .map((rs, ctx) -> new Caller(rs.getObject("id", UUID.class), role(rs.getString("role")), clientAddress))
                .findOne());
    }

    NewKey create(Caller by, String name, Caller.Role role, Quotas quotas, Integer retentionDays) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = "cru_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String secret = webhookSecret(key);
        UUID id = UUID.randomUUID();
        StoredKey stored = jdbi.inTransaction(h -> {
            StoredKey inserted = h.createQuery("""
                    insert into api_keys (id, name, role, key_hash, rate_per_minute, max_active, retention_days, webhook_secret,
                                          max_submission_sandbox_ms, sandbox_ms_per_minute, sandbox_ms_per_hour)
                    values (:id, :name, :role, :hash, :q.ratePerMinute, :q.maxActive, :retention, :secret,
                            :q.maxSubmissionSandboxMs, :q.sandboxMsPerMinute, :q.sandboxMsPerHour) returning *""")
                    .bind("id", id).bind("name", name).bind("role", role.value()).bind("hash", hash(key))
                    .bindMethods("q", quotas).bindByType("retention", retentionDays, Integer.class)
                    .bind("secret", seal.seal(secret, id))
                    .map((rs, ctx) -> stored(rs, SandboxUse.NONE)).one();
            AuditLog.record(h, by, "key.create", id + " " + role.value());
            return inserted;
        });
        return new NewKey(stored, key, secret);
    }

    /** Every key, newest first, with the sandbox time its recent submissions count against its budgets. */
    List<StoredKey> list() {
        return jdbi.withHandle(h -> h.createQuery("""
                select k.*,
                    (select coalesce(sum(s.sandbox_ms), 0) from submissions s
                     where s.api_key_id = k.id and s.created_at > now() - interval '1 minute') as sandbox_ms_last_minute,
                    (select coalesce(sum(s.sandbox_ms), 0) from submissions s
                     where s.api_key_id = k.id and s.created_at > now() - interval '1 hour') as sandbox_ms_last_hour
                from api_keys k order by k.created_at desc""")
                .map((rs, ctx) -> stored(rs, new SandboxUse(rs.getLong("sandbox_ms_last_minute"), rs.getLong("sandbox_ms_last_hour"))))
                .list());
    }

    /** Whether the key exists and is not revoked: its {@link KeyValidity}. */
    public boolean holds(UUID keyId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from api_keys where id = :id and revoked_at is null")
                .bind("id", keyId).mapTo(Integer.class).one() == 1);
    }

    /** False when there is no such key. Revoking a revoked key changes nothing. */
    boolean revoke(Caller by, UUID id) {
        return jdbi.inTransaction(h -> {
            int found = h.createUpdate("update api_keys set revoked_at = coalesce(revoked_at, now()) where id = :id")
                    .bind("id", id).execute();
            if (found == 1) {
                AuditLog.record(h, by, "key.revoke", id.toString());
            }
            return found == 1;
        });
    }

    /** The secret that signs webhooks of a key's submissions, opened. */
    public Optional<String> webhookSecret(UUID keyId) {
        return jdbi.withHandle(h -> h.createQuery("select webhook_secret from api_keys where id = :id")
                .bind("id", keyId).mapTo(String.class).findOne()).map(stored -> seal.open(stored, keyId));
    }

    /** Seals the webhook secrets stored before they were sealed; returns how many there were. */
    public int sealPlaintextSecrets() {
        return jdbi.inTransaction(h -> {
            var plain = h.createQuery("select id, webhook_secret from api_keys where webhook_secret not like 'v1:%' for update")
                    .map((rs, ctx) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("webhook_secret"))).list();
            for (var row : plain) {
                h.createUpdate("update api_keys set webhook_secret = :sealed where id = :id")
                        .bind("sealed", seal.seal(row.getValue(), row.getKey())).bind("id", row.getKey()).execute();
            }
            return plain.size();
        });
    }

    /** HMAC-SHA256(key, "crucible-webhook-v1"), hex: a holder of the key can always derive it. */
    static String webhookSecret(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal("crucible-webhook-v1".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Caller.Role role(String stored) {
        return Caller.Role.valueOf(stored.toUpperCase(Locale.ROOT));
    }

    private static StoredKey stored(ResultSet rs, SandboxUse use) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        Quotas quotas = new Quotas(rs.getInt("rate_per_minute"), rs.getInt("max_active"), rs.getLong("max_submission_sandbox_ms"),
                rs.getLong("sandbox_ms_per_minute"), rs.getLong("sandbox_ms_per_hour"));
        return new StoredKey(rs.getObject("id", UUID.class), rs.getString("name"), role(rs.getString("role")), quotas,
                (Integer) rs.getObject("retention_days"), use, rs.getTimestamp("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
