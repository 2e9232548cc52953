/**
 * Submissions and batches: validating, storing with their enqueue intents (the outbox), queueing, cancelling, serving, streaming.
 * Owns the submissions, batches and outbox tables; uses admission, auth, audit, webhook (callback checks), http and the queue's role interfaces.
 */
package dev.crucible.api.submission;
