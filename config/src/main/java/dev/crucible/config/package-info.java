/**
 * Reading a process's settings from its environment: {@link dev.crucible.config.Environment} and
 * {@link dev.crucible.config.Secret}. Depends on nothing; each process's config record documents its variables.
 */
package dev.crucible.config;
