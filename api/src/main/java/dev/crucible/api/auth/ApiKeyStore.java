package dev.crucible.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys in PostgreSQL, stored only as SHA-256 hashes. Keys are 32 random bytes, so a fast hash is
 * enough: there is nothing to brute-force that a slow hash would protect.
 */
public final class ApiKeyStore {
    private static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private final Jdbi jdbi;

    public ApiKeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Makes {@code key} the bootstrap admin key: stores its hash if new, and revokes an earlier
     * bootstrap key (the configured key changed).
     */
    public void installBootstrapAdmin(String key) {
        byte[] hash = hash(key);
        jdbi.useTransaction(h -> {
            h.createUpdate("update api_keys set revoked_at = now() where name = :name and key_hash <> :hash and revoked_at is null")
                    .bind("name", BOOTSTRAP_NAME).bind("hash", hash).execute();
            h.createUpdate("""
                    insert into api_keys (id, name, role, key_hash) values (:id, :name, 'admin', :hash)
                    on conflict (key_hash) do update set revoked_at = null, role = 'admin'""")
                    .bind("id", UUID.randomUUID()).bind("name", BOOTSTRAP_NAME).bind("hash", hash).execute();
        });
    }

    Optional<Caller> find(String key) {
        return jdbi.withHandle(h -> h.createQuery("select id, role from api_keys where key_hash = :hash and revoked_at is null")
                .bind("hash", hash(key))
                .map((rs, ctx) -> new Caller(rs.getObject("id", UUID.class),
                        Caller.Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT))))
                .findOne());
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
