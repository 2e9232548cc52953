package dev.crucible.api.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps (method, path) to a {@link Route}. Paths are templates of literal segments and {@code {name}}
 * parameters, matched segment by segment against the raw request path. A last parameter written
 * {@code {name...}} takes the rest of the path, its segments joined by '/' (raw, as sent): a file's
 * path, which nginx hands on with its {@code %2F} decoded to '/'. The contract names it {@code {name}}.
 */
public final class Router {
    record Entry(String method, List<String> segments, Access access, Route route, String template) {}

    /** @param template the route's path template, e.g. {@code /v1/submissions/{id}}: a metrics label of bounded cardinality */
    record Match(Route route, Access access, Map<String, String> pathParameters, String template) {}

    private final List<Entry> entries = new ArrayList<>();

    public Router add(String method, String template, Access access, Route route) {
        entries.add(new Entry(method, split(template), access, route, template.replace("...}", "}")));
        return this;
    }

    /** Every route, as {@code METHOD /template} with the access it was registered with, in the order added. */
    public Map<String, Access> routes() {
        Map<String, Access> routes = new LinkedHashMap<>();
        for (Entry entry : entries) {
            routes.put(entry.method() + " " + entry.template(), entry.access());
        }
        return routes;
    }

    Match match(String method, String rawPath) {
        List<String> segments = split(rawPath);
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            Map<String, String> parameters = bind(entry.segments(), segments);
            if (parameters == null) {
                continue;
            }
            if (entry.method().equals(method)) {
                return new Match(entry.route(), entry.access(), parameters, entry.template());
            }
            allowed.add(entry.method());
        }
        if (!allowed.isEmpty()) {
            throw new ApiException.MethodNotAllowed(method, rawPath, String.join(", ", allowed));
        }
        throw new ApiException.NotFound("nothing is at " + rawPath);
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        String last = template.isEmpty() ? "" : template.getLast();
        boolean rest = last.startsWith("{") && last.endsWith("...}");
        if (rest ? path.size() < template.size() : template.size() != path.size()) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        if (rest) {
            parameters.put(last.substring(1, last.length() - 4), String.join("/", path.subList(template.size() - 1, path.size())));
        }
        for (int i = 0; i < template.size() - (rest ? 1 : 0); i++) {
            String expected = template.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                parameters.put(expected.substring(1, expected.length() - 1), path.get(i));
            } else if (!expected.equals(path.get(i))) {
                return null;
            }
        }
        return parameters;
    }

    private static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
