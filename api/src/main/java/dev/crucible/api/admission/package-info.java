/**
 * Whether a key's new submissions are admitted: its quotas and the server's queue cap, answered as a decision.
 * Reads api_keys and submissions inside the caller's transaction; knows nothing of HTTP, which maps its refusals.
 */
package dev.crucible.api.admission;
