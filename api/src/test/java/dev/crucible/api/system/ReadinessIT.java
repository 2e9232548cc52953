package dev.crucible.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.StackUnderTest;
import dev.crucible.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Readiness through the real api while every connection of its main pool is held: a test locks the
 * submissions table, and sixteen reads of a submission wait on the lock inside the api, holding the
 * pool's sixteen connections.
 */
class ReadinessIT {
    private static final int POOL = 16;
    private final StackUnderTest stack = new StackUnderTest();

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL"),
                StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER"), StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD"));
    }

    /** The api's connections waiting for a lock now, as PostgreSQL sees them. */
    private static int waitingOnLocks(Connection db) {
        try (Statement query = db.createStatement();
             ResultSet row = query.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                     + " and application_name = 'PostgreSQL JDBC Driver' and pid <> pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot read pg_stat_activity: " + e, e);
        }
    }

    @Test
    void readinessAnswersWhileRequestsHoldEveryConnectionOfTheMainPool() throws Exception {
        URI api = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_API_URL"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest read = HttpRequest.newBuilder(api.resolve("/v1/submissions/" + UUID.randomUUID()))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + stack.adminKey()).build();
        List<CompletableFuture<HttpResponse<Void>>> held;
        try (Connection locker = database(); Connection watcher = database()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("lock table submissions in access exclusive mode");
            }
            held = IntStream.range(0, POOL).mapToObj(i -> http.sendAsync(read, HttpResponse.BodyHandlers.discarding())).toList();
            Await.until("the api's main pool to be spent on reads waiting for the lock", Duration.ofSeconds(30),
                    () -> waitingOnLocks(watcher) >= POOL);

            long started = System.nanoTime();
            var ready = stack.get("/v1/ready", null);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, ready.status(), ready.raw().body());
            assertEquals("ok", ready.body().path("checks").path("database").asText(), ready.raw().body());
            assertTrue(tookMs < 5_000, "readiness waited for the main pool (" + tookMs + " ms)");
            locker.rollback();
        }
        for (CompletableFuture<HttpResponse<Void>> answer : held) {
            assertEquals(404, answer.get(60, TimeUnit.SECONDS).statusCode(), "the held reads go on once the lock is gone");
        }
    }
}
