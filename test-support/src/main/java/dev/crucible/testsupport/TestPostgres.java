package dev.crucible.testsupport;

/**
 * A PostgreSQL 15 of a test's own (see {@link ServiceContainer}): a fresh cluster in the container,
 * without fsync, for the user {@value #USER}.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String USER = "crucible";
    private static final String BIN = "/usr/lib/postgresql/15/bin";

    private final ServiceContainer container;

    private TestPostgres() {
        container = new ServiceContainer("postgres", "postgres", 5432, "PGPASSWORD", String.join("\n",
                "set -e",
                "printf '%s' \"$PGPASSWORD\" > /tmp/password",
                BIN + "/initdb -D /tmp/data -U " + USER + " -E UTF8 --locale=C.UTF-8 --auth=scram-sha-256"
                        + " --pwfile=/tmp/password > /dev/null",
                "rm /tmp/password",
                // The port is published from the container's bridge address, which initdb's rules leave out.
                "echo 'host all all all scram-sha-256' >> /tmp/data/pg_hba.conf",
                "exec " + BIN + "/postgres -D /tmp/data -c listen_addresses='*' -c unix_socket_directories=/tmp"
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"));
    }

    /** Starts one and waits until it takes connections. */
    public static TestPostgres start() {
        return new TestPostgres();
    }

    /** Starts one that is stopped when the JVM ends, for the tests of a whole run to share. */
    public static TestPostgres startUntilExit() {
        TestPostgres postgres = start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-test-postgres"));
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + container.hostPort() + "/postgres";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return container.password();
    }

    @Override
    public void close() {
        container.close();
    }
}
