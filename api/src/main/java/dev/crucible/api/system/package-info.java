/**
 * Liveness, readiness and metrics: what operators ask of the api, without an API key.
 * Probes PostgreSQL and Redis and counts the queue's reclaims; touches no feature's tables.
 */
package dev.crucible.api.system;
