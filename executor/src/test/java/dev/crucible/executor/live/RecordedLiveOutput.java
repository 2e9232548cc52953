package dev.crucible.executor.live;

import dev.crucible.queue.LiveOutput;
import dev.crucible.queue.OutputChunk;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** The queue's live output as a list, for the tests: executors only append. */
public final class RecordedLiveOutput implements LiveOutput {
    public final List<OutputChunk> chunks = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> append(UUID submissionId, OutputChunk chunk) {
        chunks.add(chunk);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Page read(UUID submissionId, String after, int max) {
        throw new UnsupportedOperationException("executors only append");
    }

    /** The text of one stream's chunks, in order. */
    public String text(OutputChunk.Stream stream) {
        return chunks.stream().filter(c -> c.stream() == stream).map(OutputChunk::text).collect(Collectors.joining());
    }
}
