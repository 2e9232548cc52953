package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.api.auth.Authenticator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.List;
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

    @Test
    void aClosedEventStreamIsTheClientGoingAwayNotAServerFailure() {
        var gone = assertThrows(HttpEdge.ClientGone.class,
                () -> new HttpEdge.ToClient(CLOSED_BY_CLIENT).write("event: submission\n\n".getBytes()));
        assertTrue(HttpEdge.clientWentAway(gone));
    }

    @Test
    void theClientGoingAwayIsToldApartUnderAWrapperAWriterPutAroundIt() {
        var gone = assertThrows(HttpEdge.ClientGone.class, () -> new HttpEdge.ToClient(CLOSED_BY_CLIENT).write(1));
        assertTrue(HttpEdge.clientWentAway(new UncheckedIOException(gone)));
        assertTrue(HttpEdge.clientWentAway(new RuntimeException("writing the event failed", new UncheckedIOException(gone))));
    }

    @Test
    void aWritersOwnIOExceptionIsAServerFailure() {
        assertFalse(HttpEdge.clientWentAway(new IOException("cannot serialize the submission")));
    }

    @Test
    void aBrokenPipeOnAnotherOfTheServersConnectionsIsAServerFailure() {
        // Redis or a webhook's receiver going away is not the client's doing: only ToClient says it is.
        assertFalse(HttpEdge.clientWentAway(new IOException("Broken pipe")));
        assertFalse(HttpEdge.clientWentAway(new RuntimeException(new SocketException("Connection reset"))));
    }

    @Test
    void aCircularCauseChainEndsTheLookWithoutFindingTheClient() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertFalse(HttpEdge.clientWentAway(first));
    }

    /**
     * The edge with one route of {@code access}. No key store: these requests are refused before any
     * key is looked up (none is sent, or one no key can be).
     */
    private static FakeExchange called(Access access, String header, String value) {
        Router router = new Router().add("GET", "/r", access, request -> Response.ok("ran"));
        FakeExchange exchange = new FakeExchange("GET", "/r", "application/json", new ByteArrayInputStream(new byte[0]));
        if (header != null) {
            exchange.getRequestHeaders().set(header, value);
        }
        new HttpEdge(router, new Authenticator(null), Json.mapper(), new SimpleMeterRegistry(), new TrustedProxies(List.of()))
                .handle(exchange);
        return exchange;
    }

    @Test
    void aRouteThatRefusesWithoutBodyAnswersA401WithNone() {
        FakeExchange exchange = called(Access.anyKey().orKeyIn("X-Auth-Token").refusedWithoutBody(), null, null);
        assertEquals(401, exchange.getResponseCode());
        assertEquals("", exchange.responseText());
    }

    @Test
    void otherRoutesAnswerA401WithTheProblem() {
        FakeExchange exchange = called(Access.anyKey(), null, null);
        assertEquals(401, exchange.getResponseCode());
        assertTrue(exchange.responseText().contains("\"code\":\"unauthorized\""), exchange.responseText());
    }

    @Test
    void aKeyHeaderLongerThanAnyKeyIsRefusedBeforeAnyLookUp() {
        FakeExchange exchange = called(Access.anyKey().orKeyIn("X-Auth-Token").refusedWithoutBody(), "X-Auth-Token", "k".repeat(300));
        assertEquals(401, exchange.getResponseCode());
        assertEquals("", exchange.responseText());
    }

    @Test
    void theKeyHeaderIsReadOnlyOnRoutesThatNameIt() {
        // Without the route naming it, X-Auth-Token is no credential: the request has none.
        FakeExchange exchange = called(Access.anyKey(), "X-Auth-Token", "k".repeat(300));
        assertEquals(401, exchange.getResponseCode());
        assertTrue(exchange.responseText().contains("Authorization: Bearer"), exchange.responseText());
    }
}
