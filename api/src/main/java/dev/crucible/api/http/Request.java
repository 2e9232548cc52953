package dev.crucible.api.http;

import com.sun.net.httpserver.HttpExchange;
import dev.crucible.api.model.FieldError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

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

    /**
     * A path parameter that names something by its UUID; one that is no UUID names nothing, a 404
     * with {@code notFound}'s message for what was given.
     */
    public UUID idParameter(String name, Function<String, String> notFound) {
        String raw = pathParameter(name);
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiException.NotFound(notFound.apply(raw));
        }
    }

    /** A whole-number query parameter, empty when absent; anything else is an invalid request. */
    public Optional<Integer> wholeNumber(String name) {
        return query(name).map(raw -> {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new ApiException.InvalidRequest(List.of(new FieldError(name, "must be a whole number")));
            }
        });
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
