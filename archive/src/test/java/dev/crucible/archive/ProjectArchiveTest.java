package dev.crucible.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ProjectArchiveTest {
    private static final ProjectArchive.Limits LIMITS = ProjectArchive.Limits.DEFAULT;

    /** One tar entry to write: a name, a tar type, content or a link target, a mode. */
    private record Put(String name, byte type, byte[] content, String linkTarget, int mode) {
        static Put file(String name, String content) {
            return new Put(name, TarConstants.LF_NORMAL, content.getBytes(StandardCharsets.UTF_8), null, 0_100644);
        }

        static Put executable(String name, String content) {
            return new Put(name, TarConstants.LF_NORMAL, content.getBytes(StandardCharsets.UTF_8), null, 0_100755);
        }

        static Put folder(String name) {
            return new Put(name, TarConstants.LF_DIR, new byte[0], null, 0_40755);
        }

        static Put link(String name, String target) {
            return new Put(name, TarConstants.LF_SYMLINK, new byte[0], target, 0_120777);
        }

        static Put ofType(String name, byte type) {
            return new Put(name, type, new byte[0], null, 0_644);
        }
    }

    private static byte[] tar(Put... puts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTar(bytes, puts);
        return bytes.toByteArray();
    }

    private static byte[] tarGz(Put... puts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            writeTar(gzip, puts);
        }
        return bytes.toByteArray();
    }

    private static void writeTar(OutputStream out, Put... puts) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Put put : puts) {
            TarArchiveEntry entry = new TarArchiveEntry(put.name(), put.type(), true);
            entry.setMode(put.mode());
            if (put.linkTarget() != null) {
                entry.setLinkName(put.linkTarget());
            }
            if (put.type() == TarConstants.LF_NORMAL || put.type() == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER) {
                entry.setSize(put.content().length);
            }
            tar.putArchiveEntry(entry);
            tar.write(put.content());
            tar.closeArchiveEntry();
        }
        tar.finish();
    }

    private static byte[] zip(ZipArchiveEntry entry, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(entry);
            zip.write(content);
            zip.closeArchiveEntry();
            ZipArchiveEntry other = new ZipArchiveEntry("main.py");
            zip.putArchiveEntry(other);
            zip.write("print(1)\n".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static String refusal(byte[] archive) {
        return assertThrows(ArchiveRefusedException.class, () -> ProjectArchive.read(archive, LIMITS)).getMessage();
    }

    private static void assertRefused(byte[] archive, String expected) {
        String message = refusal(archive);
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
    }

    @Test
    void readsATarGzWithItsLeadingDotFoldersFilesAndLinks() throws IOException {
        List<ProjectArchive.Entry> entries = ProjectArchive.read(tarGz(Put.folder("./"), Put.folder("./src/"),
                Put.file("./src/app.py", "x = 1\n"), Put.executable("./run.sh", "#!/bin/sh\n"),
                Put.link("./src/alias.py", "./app.py")), LIMITS);
        assertEquals(List.of(new ProjectArchive.File("src/app.py", "x = 1\n".getBytes(StandardCharsets.UTF_8), false),
                new ProjectArchive.File("run.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), true),
                new ProjectArchive.Link("src/alias.py", "app.py")), entries);
    }

    @Test
    void readsAPlainTar() throws IOException {
        List<ProjectArchive.Entry> entries = ProjectArchive.read(tar(Put.file("a.txt", "hi")), LIMITS);
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), ((ProjectArchive.File) entries.getFirst()).content());
    }

    @Test
    void readsWhatGitArchiveWrites() throws IOException {
        // git archive starts with a global pax header holding the commit id; it must not become a file.
        byte[] archive;
        try (var in = ProjectArchiveTest.class.getResourceAsStream("/git-archive.tar.gz")) {
            archive = in.readAllBytes();
        }
        assertEquals(List.of("a.py", "src/lib.py"),
                ProjectArchive.read(archive, LIMITS).stream().map(ProjectArchive.Entry::path).toList());
    }

    @Test
    void readsAZipWithItsExecutableBitAndLinks() throws IOException {
        ZipArchiveEntry link = new ZipArchiveEntry("lib.py");
        link.setUnixMode(0_120777);
        List<ProjectArchive.Entry> entries = ProjectArchive.read(zip(link, "main.py".getBytes(StandardCharsets.UTF_8)), LIMITS);
        assertEquals(List.of(new ProjectArchive.Link("lib.py", "main.py"),
                new ProjectArchive.File("main.py", "print(1)\n".getBytes(StandardCharsets.UTF_8), false)), entries);
        ZipArchiveEntry script = new ZipArchiveEntry("run.sh");
        script.setUnixMode(0_100755);
        assertTrue(((ProjectArchive.File) ProjectArchive.read(zip(script, new byte[0]), LIMITS).getFirst()).executable());
    }

    @Test
    void refusesWhatIsNoArchive() {
        assertRefused("print('hello')\n".getBytes(StandardCharsets.UTF_8), "is not a .tar.gz, .tar or .zip archive");
    }

    @Test
    void refusesAGzipThatHoldsNoTar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("just text".getBytes(StandardCharsets.UTF_8));
        }
        assertRefused(bytes.toByteArray(), "is gzip, but what it holds is not a tar");
    }

    @Test
    void refusesATruncatedArchive() throws IOException {
        byte[] whole = tarGz(Put.file("a.py", "x".repeat(10_000)));
        assertRefused(java.util.Arrays.copyOf(whole, whole.length / 2), "cannot be read as a .tar.gz");
    }

    @Test
    void refusesAnAbsolutePath() throws IOException {
        assertRefused(tar(Put.file("/etc/passwd", "root")), "holds the path '/etc/passwd', which is absolute");
    }

    @Test
    void refusesAPathThroughDotDot() throws IOException {
        assertRefused(tarGz(Put.file("src/../../escape", "x")), "which goes through '..'");
    }

    @Test
    void refusesAPathWithABackslash() throws IOException {
        assertRefused(tar(Put.file("..\\escape", "x")), "which has a backslash");
    }

    @Test
    void refusesAPathWithAControlCharacter() throws IOException {
        assertRefused(tar(Put.file("a\nb", "x")), "which has a control character");
    }

    @Test
    void refusesAPathLongerThanTheSandboxTakes() throws IOException {
        assertRefused(tar(Put.file("a/".repeat(128) + "b", "x")), "longer than 255 characters");
    }

    @Test
    void refusesAnAbsoluteLink() throws IOException {
        assertRefused(tar(Put.link("passwd", "/etc/passwd"), Put.file("a.py", "")), "to '/etc/passwd', which is absolute");
    }

    @Test
    void refusesALinkOutOfItsFolder() throws IOException {
        assertRefused(tar(Put.link("src/up", "../../outside"), Put.file("a.py", "")), "which goes through '..'");
    }

    @Test
    void refusesALinkToItsOwnFolder() throws IOException {
        assertRefused(tar(Put.link("here", "./"), Put.file("a.py", "")), "which is its own folder");
    }

    @Test
    void refusesAFileBelowALink() throws IOException {
        assertRefused(tar(Put.link("src", "lib"), Put.file("src/a.py", "")), "holds 'src/a.py' below the link 'src'");
    }

    @Test
    void refusesALinkOverAFolder() throws IOException {
        assertRefused(tar(Put.file("src/a.py", ""), Put.link("src", "lib")), "holds 'src' both as a folder and as a link");
    }

    @Test
    void refusesAFileBelowAFile() throws IOException {
        assertRefused(tar(Put.file("a", ""), Put.file("a/b", "")), "holds 'a/b' below the file 'a'");
    }

    @Test
    void refusesTheSamePathTwice() throws IOException {
        assertRefused(tar(Put.file("a.py", "1"), Put.file("./a.py", "2")), "holds 'a.py' twice");
    }

    @Test
    void refusesAHardLink() throws IOException {
        assertRefused(tar(Put.file("a.py", ""), new Put("b.py", TarConstants.LF_LINK, new byte[0], "a.py", 0_644)),
                "holds the hard link 'b.py'");
    }

    @Test
    void refusesACharacterDevice() throws IOException {
        assertRefused(tar(Put.ofType("null", TarConstants.LF_CHR), Put.file("a.py", "")), "holds the device or FIFO 'null'");
    }

    @Test
    void refusesABlockDevice() throws IOException {
        assertRefused(tar(Put.ofType("sda", TarConstants.LF_BLK)), "holds the device or FIFO 'sda'");
    }

    @Test
    void refusesAFifo() throws IOException {
        assertRefused(tar(Put.ofType("pipe", TarConstants.LF_FIFO)), "holds the device or FIFO 'pipe'");
    }

    @Test
    void refusesASparseFile() throws IOException {
        assertRefused(tar(Put.ofType("holes", TarConstants.LF_GNUTYPE_SPARSE)), "holds the sparse file 'holes'");
    }

    @Test
    void refusesAZipDevice() throws IOException {
        ZipArchiveEntry device = new ZipArchiveEntry("null");
        device.setUnixMode(0_20666);
        assertRefused(zip(device, new byte[0]), "holds 'null' of mode 20000");
    }

    @Test
    void refusesAnEncryptedZipEntry() throws IOException {
        // The zip writer will not encrypt: the first entry's "encrypted" flag is set in both of its headers.
        byte[] archive = zip(new ZipArchiveEntry("secret.py"), "x".getBytes(StandardCharsets.UTF_8));
        archive[6] |= 1;
        for (int i = 0; i + 4 < archive.length; i++) {
            if (archive[i] == 'P' && archive[i + 1] == 'K' && archive[i + 2] == 1 && archive[i + 3] == 2) {
                archive[i + 8] |= 1;
                break;
            }
        }
        assertRefused(archive, "holds the encrypted entry 'secret.py'");
    }

    @Test
    void refusesAZipPathThroughDotDot() throws IOException {
        assertRefused(zip(new ZipArchiveEntry("../evil.py"), new byte[0]), "which goes through '..'");
    }

    @Test
    void refusesAnArchiveOfNoFiles() throws IOException {
        assertRefused(tar(Put.folder("empty/")), "holds no files");
    }

    @Test
    void refusesMoreEntriesThanTheLimit() throws IOException {
        Put[] puts = new Put[LIMITS.entries() + 1];
        for (int i = 0; i < puts.length; i++) {
            puts[i] = Put.file("f" + i, "");
        }
        assertRefused(tarGz(puts), "holds more than 2000 entries");
    }

    @Test
    void refusesASubmittedArchiveOverItsSize() {
        assertRefused(new byte[LIMITS.archiveBytes() + 1], "at most 2097152 are allowed");
    }

    @Test
    void stopsATarGzBombAtTheUnpackedLimit() throws IOException {
        // 64 MiB of zeros compress to about 64 KiB: the reading must stop at 16 MiB, not unpack it all.
        byte[] bomb = tarGz(new Put("zeros", TarConstants.LF_NORMAL, new byte[64 << 20], null, 0_644));
        assertTrue(bomb.length < LIMITS.archiveBytes());
        assertRefused(bomb, "unpacks to more than 16777216 bytes");
    }

    @Test
    void stopsAZipBombAtTheUnpackedLimit() throws IOException {
        byte[] bomb = zip(new ZipArchiveEntry("zeros"), new byte[64 << 20]);
        assertTrue(bomb.length < LIMITS.archiveBytes());
        assertRefused(bomb, "unpacks to more than 16777216 bytes");
    }

    @Test
    void countsEveryFileTowardsTheUnpackedLimit() throws IOException {
        ProjectArchive.Limits small = new ProjectArchive.Limits(1 << 20, 100, 1_000, 255);
        byte[] archive = tar(Put.file("a", "x".repeat(600)), Put.file("b", "x".repeat(600)));
        String message = assertThrows(ArchiveRefusedException.class, () -> ProjectArchive.read(archive, small)).getMessage();
        assertEquals("unpacks to more than 1000 bytes", message);
    }
}
