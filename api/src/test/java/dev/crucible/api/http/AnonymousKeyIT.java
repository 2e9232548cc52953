package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crucible.api.ScratchSchema;
import dev.crucible.api.auth.Authenticator;
import dev.crucible.api.auth.Caller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A route's anonymous key (the Piston routes'), against the keys of a scratch schema in the test PostgreSQL. */
class AnonymousKeyIT {
    private final ScratchSchema scratch = new ScratchSchema("submitter", 100, 100);

    @AfterEach
    void drop() {
        scratch.close();
    }

    /** A route that answers with the id of the key it was called with. */
    private HttpEdge edge(Optional<UUID> anonymousKeyId) {
        Router router = new Router().add("GET", "/who", Access.anyKey().orAnonymousAs(anonymousKeyId),
                request -> new Response(200, new Response.Text(Caller.current().keyId().toString(), "text/plain")));
        return new HttpEdge(router, new Authenticator(scratch.keys()), Json.mapper(), new SimpleMeterRegistry(),
                new TrustedProxies(List.of()));
    }

    private static FakeExchange withoutCredentials() {
        return new FakeExchange("GET", "/who", "application/json", new ByteArrayInputStream(new byte[0]));
    }

    @Test
    void aRequestWithoutCredentialsIsMadeAsTheAnonymousKey() {
        FakeExchange exchange = withoutCredentials();
        edge(Optional.of(scratch.keyId())).handle(exchange);
        assertEquals(200, exchange.getResponseCode(), exchange.responseText());
        assertEquals(scratch.keyId().toString(), exchange.responseText());
    }

    @Test
    void aRevokedAnonymousKeyIsA401() {
        scratch.jdbi().useHandle(h -> h.execute("update api_keys set revoked_at = now() where id = ?", scratch.keyId()));
        FakeExchange exchange = withoutCredentials();
        edge(Optional.of(scratch.keyId())).handle(exchange);
        assertEquals(401, exchange.getResponseCode(), exchange.responseText());
    }

    @Test
    void aWrongKeyIsA401EvenWithAnAnonymousKey() {
        FakeExchange exchange = withoutCredentials();
        exchange.getRequestHeaders().set("Authorization", "Bearer not-a-key");
        edge(Optional.of(scratch.keyId())).handle(exchange);
        assertEquals(401, exchange.getResponseCode(), exchange.responseText());
    }

    @Test
    void withoutAnAnonymousKeyNoCredentialsIsA401() {
        FakeExchange exchange = withoutCredentials();
        edge(Optional.empty()).handle(exchange);
        assertEquals(401, exchange.getResponseCode(), exchange.responseText());
    }
}
