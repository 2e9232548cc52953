/**
 * Webhooks of completed submissions: callback address checks, signing and sending, the deliveries table and its dispatcher.
 * Owns webhook_deliveries (joined to submissions only for a delivery's key); gets bodies through {@link dev.crucible.api.webhook.WebhookDispatcher.Submissions}, never from the submission package.
 */
package dev.crucible.api.webhook;
