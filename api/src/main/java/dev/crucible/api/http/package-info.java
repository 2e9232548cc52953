/**
 * The HTTP edge on the JDK's server: routes with their access, JSON bodies, responses, and the one mapping of errors to problem+json.
 * Knows callers (auth) to check access, and the generated models for problems; no feature's store or logic.
 */
package dev.crucible.api.http;
