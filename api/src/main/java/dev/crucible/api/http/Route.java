package dev.crucible.api.http;

/** The code behind one method on one path. */
@FunctionalInterface
public interface Route {
    Response handle(Request request);
}
