/**
 * {@code /v1/sessions}: the rows of sessions and their commands, the routes that check and send their requests, the consumer of their events and the reaper of those no executor ends.
 * Reaches executors only through the queue module's {@code SessionDispatch} and session events; checks quotas through the admission package.
 */
package dev.crucible.api.session;
