/**
 * The executor process: workers take jobs from the queue, JobRunner runs them in sandboxes and judges them; its metrics and configuration.
 * Talks to Redis only through the queue module's interfaces and to Docker only through the sandbox package; never to the api or PostgreSQL.
 */
package dev.crucible.executor;
