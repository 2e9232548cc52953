/**
 * API keys: their store, the authenticator that turns a bearer token into a {@link dev.crucible.api.auth.Caller}, and the keys routes.
 * Owns api_keys (through Jdbi) and writes the audit log; reaches HTTP only through the http package's routes and errors.
 */
package dev.crucible.api.auth;
