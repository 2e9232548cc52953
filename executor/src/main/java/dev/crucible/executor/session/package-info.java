/**
 * The sessions an executor holds: their sandboxes' deadlines, their commands and file operations as fixed scripts, and their judged results.
 * Takes requests and reports events only through the queue module's session interfaces, and reaches sandboxes only through {@code SessionSandboxes}.
 */
package dev.crucible.executor.session;
