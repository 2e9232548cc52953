/**
 * Helpers the integration tests of several modules share: the stack's test variables and its sandboxes,
 * and PostgreSQL and Redis of a test's own in containers of a locally built image. Reaches the running
 * stack only through what {@code ./crucible test} exports; no server code.
 */
package dev.crucible.testsupport;
