package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

class HttpEdgeTest {
    @Test
    void aBrokenPooledConnectionMeansTheDatabaseIsAway() {
        assertTrue(HttpEdge.databaseUnreachable(new RuntimeException(new SQLException("An I/O error occurred", "08006"))));
    }

    @Test
    void noConnectionToBeHadMeansTheDatabaseIsAway() {
        assertTrue(HttpEdge.databaseUnreachable(new ConnectionException(new SQLException("timeout"))));
    }

    @Test
    void aServerShuttingDownMeansTheDatabaseIsAway() {
        assertTrue(HttpEdge.databaseUnreachable(new RuntimeException(new SQLException("terminating connection", "57P01"))));
    }

    @Test
    void aFailingStatementIsNotTheDatabaseBeingAway() {
        assertFalse(HttpEdge.databaseUnreachable(new RuntimeException(new SQLException("syntax error", "42601"))));
    }
}
