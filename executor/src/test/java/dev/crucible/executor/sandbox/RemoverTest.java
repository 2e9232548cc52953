package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RemoverTest {
    /** A removal that fails while {@code down} holds the id, as Docker's proxy answering 503 does. */
    private static final class FlakyDocker {
        final Set<String> down = ConcurrentHashMap.newKeySet();
        final List<String> removed = new ArrayList<>();
        final AtomicReference<Remover> remover = new AtomicReference<>();

        synchronized void remove(String id) {
            if (down.contains(id)) {
                remover.get().retryLater(id);
            } else {
                removed.add(id);
            }
        }
    }

    @Test
    void aRemovalDockerFailedIsDoneWhenTriedAgain() throws Exception {
        FlakyDocker docker = new FlakyDocker();
        try (Remover remover = new Remover(docker::remove)) {
            docker.remover.set(remover);
            docker.down.add("a");
            docker.remove("a");
            assertEquals(1, remover.failedRemovals());

            remover.retryNow();
            assertEquals(1, remover.failedRemovals(), "still failing: kept for the next try");

            docker.down.clear();
            remover.retryNow();
            assertEquals(0, remover.failedRemovals());
            assertEquals(List.of("a"), docker.removed);
        }
    }
}
