/**
 * The runtime catalog: the manifests under runtimes/, parsed and checked, with each one's image tag; RuntimeImages prints them for the launcher.
 * Reads files only (Jackson for the JSON); shared by api and executor, and depends on neither.
 */
package dev.crucible.runtime;
