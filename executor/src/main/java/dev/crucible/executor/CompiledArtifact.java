package dev.crucible.executor;

import dev.crucible.executor.sandbox.SandboxSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the work folder a compile sandbox wrote to its stdout as a tar. It is data made by untrusted
 * code: only regular files are taken (links, devices and the like are dropped), their paths are
 * checked again when they go into the run sandbox, and nothing of it ever touches the host's disk.
 */
final class CompiledArtifact {
    private static final int MAX_FILES = 4096;
    private static final long MAX_BYTES = JobRunner.ARTIFACT_BYTES;

    private CompiledArtifact() {}

    static List<SandboxSpec.SandboxFile> files(byte[] tar) {
        List<SandboxSpec.SandboxFile> files = new ArrayList<>();
        long budget = MAX_BYTES;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                // Sparse entries claim sizes their bytes do not have: refused, as are links and devices.
                if (!entry.isFile() || entry.isLink() || entry.isSymbolicLink() || entry.isSparse()
                        || entry.getRealSize() != entry.getSize()) {
                    continue;
                }
                budget -= entry.getSize();
                if (entry.getSize() < 0 || budget < 0) {
                    throw new IllegalArgumentException("the compiled work folder is larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                if (files.size() == MAX_FILES) {
                    throw new IllegalArgumentException("the compiled work folder holds more than " + MAX_FILES + " files");
                }
                String path = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                boolean executable = (entry.getMode() & 0100) != 0;
                files.add(new SandboxSpec.SandboxFile(path, in.readNBytes((int) entry.getSize()), executable));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the compile step's work folder is not a readable tar", e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the compile step left an empty work folder");
        }
        return files;
    }
}
