/**
 * The api process: {@link dev.crucible.api.Main}, which wires every feature package, and the configuration it reads.
 * Only Main touches them all; feature packages reach up here for {@link dev.crucible.api.ApiConfig} alone.
 */
package dev.crucible.api;
