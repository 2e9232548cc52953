/**
 * Helpers the integration tests of several modules share: the stack's test variables and its sandboxes.
 * Reaches the running stack only through what {@code ./crucible test} exports; no server code.
 */
package dev.crucible.testsupport;
