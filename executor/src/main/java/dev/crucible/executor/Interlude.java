package dev.crucible.executor;

/**
 * What a job of several sandboxes (tests, runs) does between two of them: the worker may run another
 * submitter's waiting job in its slot there, so that a long job delays others by one of its parts,
 * not by all of them.
 */
@FunctionalInterface
interface Interlude {
    Interlude NONE = () -> { };

    void betweenParts();
}
