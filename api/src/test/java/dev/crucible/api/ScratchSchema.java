package dev.crucible.api;

import dev.crucible.api.auth.ApiKeyStore;
import dev.crucible.api.auth.WebhookSecretSeal;
import dev.crucible.config.Secret;
import dev.crucible.testsupport.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh schema with every migration applied, and one API key in it, in a PostgreSQL of the store
 * tests' own (not the stack's); {@link #close()} drops it.
 */
public final class ScratchSchema implements AutoCloseable {
    private final String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
    private final Jdbi jdbi;
    private final UUID keyId = UUID.randomUUID();

    /** One PostgreSQL for the store tests of this JVM: started on first use, stopped as the JVM ends. */
    private static final class Database {
        static final TestPostgres POSTGRES = TestPostgres.startUntilExit();
    }

    /** The sealing key of the scratch schemas' webhook secrets. */
    public static final WebhookSecretSeal SEAL = new WebhookSecretSeal(new Secret("5c7a".repeat(16)));

    public ScratchSchema(String role, int ratePerMinute, int maxActive) {
        String url = Database.POSTGRES.jdbcUrl();
        String user = Database.POSTGRES.user();
        String password = Database.POSTGRES.password();
        Flyway.configure().dataSource(url, user, password).schemas(schema).createSchemas(true).load().migrate();
        jdbi = Jdbi.create(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
        jdbi.useHandle(h -> h.execute("insert into api_keys (id, name, role, key_hash, rate_per_minute, max_active, webhook_secret)"
                + " values (?, 'test', ?, ?, ?, ?, 'test-secret')", keyId, role,
                keyId.toString().getBytes(StandardCharsets.UTF_8), ratePerMinute, maxActive));
        keys().sealPlaintextSecrets();
    }

    /** One more key in the schema, of {@code role}, with generous quotas. */
    public UUID addKey(String role) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("insert into api_keys (id, name, role, key_hash, rate_per_minute, max_active, webhook_secret)"
                + " values (?, 'test-more', ?, ?, 1000, 1000, 'test-secret')", id, role, id.toString().getBytes(StandardCharsets.UTF_8)));
        keys().sealPlaintextSecrets();
        return id;
    }

    /** The schema's keys, their webhook secret ({@code test-secret}) sealed as the api seals them. */
    public ApiKeyStore keys() {
        return new ApiKeyStore(jdbi, SEAL);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public UUID keyId() {
        return keyId;
    }

    @Override
    public void close() {
        jdbi.useHandle(h -> h.execute("drop schema " + schema + " cascade"));
    }
}
