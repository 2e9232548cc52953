package dev.crucible.api.http;

import com.sun.net.httpserver.HttpExchange;
import dev.crucible.api.model.FieldError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One routed request: the exchange and the values of the route's path parameters. */
public record Request(HttpExchange exchange, Map<String, String> pathParameters) {
    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    /** The first value of a query parameter; the raw query is split on '&' and '=' and URL-decoded. */
    public Optional<String> query(String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /** A boolean query parameter: {@code true} or {@code false}, false when absent; anything else is an invalid request. */
    public boolean flag(String name) {
        return switch (query(name).orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiException.InvalidRequest(List.of(new FieldError(name, "must be true or false")));
        };
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException.MalformedJson("the query string is not validly %-encoded", e);
        }
    }
}
