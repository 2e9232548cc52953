package dev.crucible.api;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh schema in the test PostgreSQL with every migration applied, and one API key in it;
 * {@link #close()} drops it.
 */
public final class ScratchSchema implements AutoCloseable {
    private final String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
    private final Jdbi jdbi;
    private final UUID keyId = UUID.randomUUID();

    public ScratchSchema(String role, int ratePerMinute, int maxActive) {
        String url = StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL");
        String user = StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER");
        String password = StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD");
        Flyway.configure().dataSource(url, user, password).schemas(schema).createSchemas(true).load().migrate();
        jdbi = Jdbi.create(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
        jdbi.useHandle(h -> h.execute("insert into api_keys (id, name, role, key_hash, rate_per_minute, max_active, webhook_secret)"
                + " values (?, 'test', ?, ?, ?, ?, 'test-secret')", keyId, role,
                keyId.toString().getBytes(StandardCharsets.UTF_8), ratePerMinute, maxActive));
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
