package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
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

    /** What the JDK's server does under a write once the client has closed its end. */
    private static final OutputStream CLOSED_BY_CLIENT = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
        }
    };

    @Test
    void aWriteThatFailsOnTheClientsConnectionIsTheClientGoingAway() {
        var gone = assertThrows(HttpEdge.ClientGone.class,
                () -> new HttpEdge.ToClient(CLOSED_BY_CLIENT).write(": keep-alive\n\n".getBytes()));
        assertTrue(gone.getMessage().contains("Broken pipe"), gone.getMessage());
    }

    @Test
    void aFlushThatFailsOnTheClientsConnectionIsTheClientGoingAway() {
        OutputStream flushFails = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void flush() throws IOException {
                throw new IOException("Connection reset by peer");
            }
        };
        assertThrows(HttpEdge.ClientGone.class, () -> new HttpEdge.ToClient(flushFails).flush());
    }
}
