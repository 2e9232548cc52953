/**
 * The audit log: who did what to which key, submission or batch, one row each.
 * Writes audit_log inside the caller's transaction (a Jdbi handle it is given); nothing else.
 */
package dev.crucible.api.audit;
