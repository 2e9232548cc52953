package dev.crucible.api.auth;

import com.sun.net.httpserver.HttpExchange;
import dev.crucible.api.http.ApiException;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads {@code Authorization: Bearer <key>} (or the bare key from a header the route names) and finds
 * the key; anything else is a 401, unless the route names an anonymous key for requests that send no
 * {@code Authorization} at all.
 */
public final class Authenticator {
    private static final int MAX_KEY_CHARS = 256;
    private final ApiKeyStore keys;

    public Authenticator(ApiKeyStore keys) {
        this.keys = keys;
    }

    /**
     * @param keyHeader a header that may carry the bare key; when it is sent, it is the credential, whatever
     *                  {@code Authorization} says
     */
    public Caller authenticate(HttpExchange exchange, String clientAddress, Optional<UUID> anonymousKeyId,
                               Optional<String> keyHeader) {
        String bare = keyHeader.map(name -> exchange.getRequestHeaders().getFirst(name)).orElse(null);
        if (bare != null) {
            if (bare.length() > MAX_KEY_CHARS) {
                throw new ApiException.Unauthorized("the " + keyHeader.get() + " header is longer than any API key");
            }
            return known(bare.trim(), clientAddress);
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null && anonymousKeyId.isPresent()) {
            return keys.findById(anonymousKeyId.get(), clientAddress).orElseThrow(() -> new ApiException.Unauthorized(
                    "the anonymous key of this route (" + anonymousKeyId.get() + ") is revoked or does not exist;"
                            + " send your API key as 'Authorization: Bearer <key>'"));
        }
        if (header == null) {
            throw new ApiException.Unauthorized("send your API key as 'Authorization: Bearer <key>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 7 + MAX_KEY_CHARS) {
            throw new ApiException.Unauthorized("the Authorization header must be 'Bearer <key>'");
        }
        return known(header.substring(7).trim(), clientAddress);
    }

    private Caller known(String key, String clientAddress) {
        return keys.find(key, clientAddress).orElseThrow(() -> new ApiException.Unauthorized("this API key is not valid"));
    }
}
