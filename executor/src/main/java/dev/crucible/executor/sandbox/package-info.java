/**
 * One program run in a gVisor container: the spec, the run's ending, output and usage, and the Docker implementation with its exit wait and output files.
 * Reaches Docker (docker-java, through the socket proxy) and the cgroup files; knows nothing of jobs, queues or verdicts.
 */
package dev.crucible.executor.sandbox;
