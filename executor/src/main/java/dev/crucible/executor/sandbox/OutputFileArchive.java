package dev.crucible.executor.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the tar of output files that the collector exec wrote to its stdout. The tar was made inside
 * the sandbox, so it is untrusted data: only regular entries whose names are wanted, each at most
 * {@link SandboxSpec#OUTPUT_FILE_BYTES}, are kept, and the first of a name wins.
 */
final class OutputFileArchive {
    private OutputFileArchive() {}

    /** The asked-for files found in {@code tar}, by the path as asked. */
    static Map<String, byte[]> read(byte[] tar, List<String> asked) {
        return read(tar, Set.copyOf(asked)::contains, asked.size());
    }

    /**
     * The files found in {@code tar} whose names {@code wanted} accepts, by that name (without a
     * leading "./"), {@code most} at most; a damaged tar keeps what came before the damage.
     */
    static Map<String, byte[]> read(byte[] tar, Predicate<String> wanted, int most) {
        Map<String, byte[]> found = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null && found.size() < most; entry = in.getNextEntry()) {
                String path = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (!entry.isFile() || entry.isLink() || entry.isSymbolicLink() || entry.isSparse()
                        || entry.getSize() < 0 || entry.getSize() > SandboxSpec.OUTPUT_FILE_BYTES
                        || !wanted.test(path) || found.containsKey(path)) {
                    continue;
                }
                byte[] content = in.readNBytes((int) entry.getSize());
                if (content.length == entry.getSize()) {
                    found.put(path, content);
                }
            }
        } catch (IOException | IllegalArgumentException damaged) {
            // What was read before the damage stands; the rest is reported as not found.
        }
        return found;
    }
}
