package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class OutputFileArchiveTest {
    private static byte[] tar(TarArchiveEntry... entries) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry : entries) {
                out.putArchiveEntry(entry);
                if (entry.isFile()) {
                    byte[] content = new byte[(int) entry.getSize()];
                    Arrays.fill(content, (byte) 'x');
                    out.write(content);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry file(String name, int size) {
        var entry = new TarArchiveEntry(name);
        entry.setSize(size);
        return entry;
    }

    @Test
    void findsAskedForFilesUnderTheirAskedPaths() throws IOException {
        Map<String, byte[]> found = OutputFileArchive.read(tar(file("./out/result.txt", 3)), List.of("out/result.txt"));
        assertArrayEquals("xxx".getBytes(), found.get("out/result.txt"));
    }

    @Test
    void ignoresFilesNotAskedFor() throws IOException {
        assertEquals(Map.of(), OutputFileArchive.read(tar(file("./other", 3)), List.of("wanted")));
    }

    @Test
    void ignoresSymbolicLinks() throws IOException {
        var link = new TarArchiveEntry("./result", TarConstants.LF_SYMLINK);
        link.setLinkName("/etc/passwd");
        assertFalse(OutputFileArchive.read(tar(link), List.of("result")).containsKey("result"));
    }

    @Test
    void ignoresFilesLargerThanTheLimit() throws IOException {
        byte[] archive = tar(file("./big", SandboxSpec.OUTPUT_FILE_BYTES + 1));
        assertEquals(Map.of(), OutputFileArchive.read(archive, List.of("big")));
    }

    @Test
    void keepsWhatCameBeforeACutOffArchive() throws IOException {
        byte[] whole = tar(file("./a", 10), file("./b", 4096));
        byte[] cut = Arrays.copyOf(whole, 512 + 512 + 512 + 100);
        Map<String, byte[]> found = OutputFileArchive.read(cut, List.of("a", "b"));
        assertEquals(List.of("a"), List.copyOf(found.keySet()));
    }
}
