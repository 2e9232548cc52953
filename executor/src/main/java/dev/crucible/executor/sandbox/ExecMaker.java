package dev.crucible.executor.sandbox;

import java.util.List;

/** Creates an exec in a sandbox as the program's uid, with the sandbox's environment, and returns its id. */
@FunctionalInterface
interface ExecMaker {
    String create(String container, List<String> command);
}
