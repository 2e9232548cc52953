package dev.crucible.api.auth;

import com.sun.net.httpserver.HttpExchange;
import dev.crucible.api.http.ApiException;

/** Reads {@code Authorization: Bearer <key>} and finds the key; anything else is a 401. */
public final class Authenticator {
    private static final int MAX_KEY_CHARS = 256;
    private final ApiKeyStore keys;

    public Authenticator(ApiKeyStore keys) {
        this.keys = keys;
    }

    public Caller authenticate(HttpExchange exchange, String clientAddress) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            throw new ApiException.Unauthorized("send your API key as 'Authorization: Bearer <key>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 7 + MAX_KEY_CHARS) {
            throw new ApiException.Unauthorized("the Authorization header must be 'Bearer <key>'");
        }
        String key = header.substring(7).trim();
        return keys.find(key, clientAddress).orElseThrow(() -> new ApiException.Unauthorized("this API key is not valid"));
    }
}
