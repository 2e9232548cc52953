/**
 * {@code GET /v1/runtimes}: the runtime catalog as clients see it, with the server's maxima.
 * Reads the runtime module's catalog and the api's configuration; stores nothing.
 */
package dev.crucible.api.runtime;
