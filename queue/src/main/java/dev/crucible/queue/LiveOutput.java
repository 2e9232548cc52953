package dev.crucible.queue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Programs' output while they run: executors append chunks of it per submission (or per session, each
 * chunk naming its command), the api's event streams read them. Kept briefly ({@link #KEPT_FOR} after
 * the last chunk) and only for watching; the stored result is the record.
 */
public interface LiveOutput {
    /** How long a submission's live output stays readable after its last chunk. */
    Duration KEPT_FOR = Duration.ofMinutes(15);

    /** Appends {@code chunk} after the submission's earlier ones; completes once Redis holds it. Never blocks. */
    CompletableFuture<Void> append(UUID submissionId, OutputChunk chunk);

    /**
     * Up to {@code max} entries of the submission's chunks, in the order appended, after the entry
     * {@code after} (null: from the first). A chunk that cannot be read is passed over.
     */
    Page read(UUID submissionId, String after, int max);

    /**
     * @param chunks what was read, each with its entry id
     * @param last   the entry to read on after: the last one read, else the {@code after} asked with
     */
    record Page(List<Entry> chunks, String last) {}

    /** A chunk and its entry id: a stream id, {@code <millis>-<sequence>}, to resume after. */
    record Entry(String id, OutputChunk chunk) {}
}
