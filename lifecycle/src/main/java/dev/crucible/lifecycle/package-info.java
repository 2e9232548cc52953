/**
 * Starting and stopping the background work of a process: {@link dev.crucible.lifecycle.Loop} and
 * {@link dev.crucible.lifecycle.ShutdownSignal}. Depends on nothing; what a loop does and how it logs is its owner's.
 */
package dev.crucible.lifecycle;
