package dev.crucible.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * A submitted project's archive, read as hostile input into its files and symbolic links.
 *
 * <p>The format is told by its first bytes: gzip (a .tar.gz), a zip, or a POSIX/GNU tar. Whatever the
 * format, an archive is refused, naming the entry, when it holds
 * <ul>
 *   <li>a path that is absolute, has a {@code ..}, a {@code .} past its leading {@code ./}, an empty part,
 *       a backslash, a control character, or more than {@link Limits#pathChars()} characters;
 *   <li>the same path twice, a path that is both a folder and a file, or a path through a file or link;
 *   <li>a symbolic link whose target is absolute or has a {@code ..}: a relative target without one
 *       resolves below the link's own folder, whatever the other links are, so no chain of links leaves
 *       the workspace;
 *   <li>a hard link, a device, a FIFO, a sparse file, an encrypted or unreadable zip entry, or any other
 *       kind of entry;
 *   <li>more than {@link Limits#entries()} entries, or more than {@link Limits#expandedBytes()} once
 *       unpacked (counted as it is read, so a compression bomb is stopped, not measured), or no file at all.
 * </ul>
 * Folders are implied by the files' paths; an empty folder is not kept. A zip is read by its central
 * directory, as {@code unzip} does.
 */
public final class ProjectArchive {

    /**
     * How much an archive may hold.
     *
     * @param archiveBytes the archive itself, as submitted (compressed)
     * @param entries files, folders and links together
     * @param expandedBytes the files' contents and the links' targets, unpacked
     * @param pathChars the longest path or link target
     */
    public record Limits(int archiveBytes, int entries, long expandedBytes, int pathChars) {
        /** 2 MiB submitted, 2,000 entries, 16 MiB unpacked, paths of 255 characters (what the sandbox takes). */
        public static final Limits DEFAULT = new Limits(2 << 20, 2_000, 16L << 20, 255);

        public Limits {
            if (archiveBytes <= 0 || entries <= 0 || expandedBytes <= 0 || pathChars <= 0) {
                throw new IllegalArgumentException("archive limits must be positive: " + archiveBytes + " bytes, "
                        + entries + " entries, " + expandedBytes + " bytes unpacked, " + pathChars + " path characters");
            }
        }
    }

    /** What an archive unpacks to: a file or a symbolic link, at a relative path without {@code ..}. */
    public sealed interface Entry permits File, Link {
        String path();
    }

    /** A regular file; {@code executable} when its owner could execute it in the archive. */
    public record File(String path, byte[] content, boolean executable) implements Entry {
        @Override
        public boolean equals(Object other) {
            return other instanceof File f && f.path.equals(path) && Arrays.equals(f.content, content)
                    && f.executable == executable;
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "File[" + path + ", " + content.length + " bytes" + (executable ? ", executable]" : "]");
        }
    }

    /** A symbolic link to a relative target without {@code ..}. */
    public record Link(String path, String target) implements Entry {}

    private static final int TAR_MAGIC_OFFSET = 257;
    /** A tar's own bytes around each entry: its header, a pax header and its data, the content's padding. */
    private static final int TAR_BYTES_PER_ENTRY = 4 * 512;
    /** The end-of-archive blocks and the padding of the last record. */
    private static final int TAR_BYTES_AT_END = 20 * 512;

    private ProjectArchive() {}

    /**
     * The archive's files and links, in archive order.
     *
     * @throws ArchiveRefusedException when the archive breaks a rule above or cannot be read
     */
    public static List<Entry> read(byte[] archive, Limits limits) {
        if (archive.length > limits.archiveBytes()) {
            throw new ArchiveRefusedException("is " + archive.length + " bytes; at most " + limits.archiveBytes()
                    + " are allowed");
        }
        Unpacking unpacking = new Unpacking(limits);
        String format = "an archive";
        try {
            if (startsWith(archive, 0, new byte[] {0x1f, (byte) 0x8b})) {
                format = "a .tar.gz";
                long most = limits.expandedBytes() + (long) (limits.entries() + 1) * TAR_BYTES_PER_ENTRY + TAR_BYTES_AT_END;
                InputStream tar = new BufferedInputStream(new CappedInputStream(
                        new GZIPInputStream(new ByteArrayInputStream(archive)), most, limits));
                if (!isTar(tar)) {
                    throw new ArchiveRefusedException("is gzip, but what it holds is not a tar");
                }
                readTar(tar, unpacking);
            } else if (startsWith(archive, 0, new byte[] {'P', 'K', 3, 4}) || startsWith(archive, 0, new byte[] {'P', 'K', 5, 6})) {
                format = "a .zip";
                readZip(archive, unpacking);
            } else if (isTarHeader(archive)) {
                format = "a .tar";
                readTar(new ByteArrayInputStream(archive), unpacking);
            } else {
                throw new ArchiveRefusedException("is not a .tar.gz, .tar or .zip archive");
            }
        } catch (ArchiveRefusedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Malformed headers surface as IOException or, from the parsers, as IllegalArgumentException and kin.
            throw new ArchiveRefusedException("cannot be read as " + format + ": " + e.getMessage(), e);
        }
        return unpacking.entries();
    }

    private static void readTar(InputStream in, Unpacking unpacking) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            String name = entry.getName();
            if (entry.isSparse()) {
                throw new ArchiveRefusedException("holds the sparse file '" + printable(name) + "'");
            }
            switch (entry.getLinkFlag()) {
                case TarConstants.LF_DIR -> unpacking.folder(name);
                case TarConstants.LF_SYMLINK -> unpacking.link(name, entry.getLinkName());
                case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG ->
                        unpacking.file(name, tar, (entry.getMode() & 0100) != 0);
                case TarConstants.LF_LINK -> throw new ArchiveRefusedException("holds the hard link '" + printable(name)
                        + "'; only files, folders and symbolic links are allowed");
                case TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO -> throw new ArchiveRefusedException(
                        "holds the device or FIFO '" + printable(name) + "'; only files, folders and symbolic links are allowed");
                default -> throw new ArchiveRefusedException("holds '" + printable(name) + "' of tar type '"
                        + printable(String.valueOf((char) entry.getLinkFlag())) + "'; only files, folders and symbolic links are allowed");
            }
        }
    }

    private static void readZip(byte[] archive, Unpacking unpacking) throws IOException {
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                String name = entry.getName();
                int type = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & 0170000 : 0;
                if (entry.getGeneralPurposeBit().usesEncryption()) {
                    throw new ArchiveRefusedException("holds the encrypted entry '" + printable(name) + "'");
                }
                if (!zip.canReadEntryData(entry)) {
                    throw new ArchiveRefusedException("holds '" + printable(name) + "' compressed by a method that cannot be read");
                }
                if (entry.isUnixSymlink()) {
                    try (InputStream target = zip.getInputStream(entry)) {
                        byte[] bytes = target.readNBytes(unpacking.limits.pathChars() * 4 + 1);
                        unpacking.link(name, new String(bytes, StandardCharsets.UTF_8));
                    }
                } else if (entry.isDirectory() && (type == 0 || type == 0040000)) {
                    unpacking.folder(name);
                } else if (type == 0 || type == 0100000) {
                    try (InputStream content = zip.getInputStream(entry)) {
                        unpacking.file(name, content, (entry.getUnixMode() & 0100) != 0);
                    }
                } else {
                    throw new ArchiveRefusedException("holds '" + printable(name) + "' of mode " + Integer.toOctalString(type)
                            + "; only files, folders and symbolic links are allowed");
                }
            }
        }
    }

    /** What has been unpacked so far, and the checks that need to know it. */
    private static final class Unpacking {
        private enum Kind { FOLDER, FILE, LINK }

        private final Limits limits;
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, Kind> paths = new HashMap<>();
        private int seen;
        private long expanded;

        Unpacking(Limits limits) {
            this.limits = limits;
        }

        void folder(String name) {
            counted();
            String path = checkedPath(name);
            if (path != null) {
                placed(path, Kind.FOLDER);
            }
        }

        void file(String name, InputStream content, boolean executable) throws IOException {
            counted();
            String path = required(name);
            long room = limits.expandedBytes() - expanded;
            byte[] bytes = content.readNBytes((int) Math.min(room + 1, Integer.MAX_VALUE - 8));
            expand(bytes.length);
            placed(path, Kind.FILE);
            entries.add(new File(path, bytes, executable));
        }

        void link(String name, String rawTarget) {
            counted();
            String path = required(name);
            String target = checkedTarget(path, rawTarget);
            expand(target.length());
            placed(path, Kind.LINK);
            entries.add(new Link(path, target));
        }

        List<Entry> entries() {
            if (entries.stream().noneMatch(e -> e instanceof File)) {
                throw new ArchiveRefusedException("holds no files");
            }
            return List.copyOf(entries);
        }

        private void counted() {
            if (++seen > limits.entries()) {
                throw new ArchiveRefusedException("holds more than " + limits.entries() + " entries");
            }
        }

        private void expand(long bytes) {
            expanded += bytes;
            if (expanded > limits.expandedBytes()) {
                throw new ArchiveRefusedException("unpacks to more than " + limits.expandedBytes() + " bytes");
            }
        }

        private void placed(String path, Kind kind) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String folder = path.substring(0, slash);
                Kind there = paths.putIfAbsent(folder, Kind.FOLDER);
                if (there != null && there != Kind.FOLDER) {
                    throw new ArchiveRefusedException("holds '" + printable(path) + "' below the "
                            + there.name().toLowerCase() + " '" + printable(folder) + "'");
                }
            }
            Kind there = paths.putIfAbsent(path, kind);
            if (there == Kind.FOLDER && kind == Kind.FOLDER) {
                return;
            }
            if (there != null) {
                throw new ArchiveRefusedException(there == kind ? "holds '" + printable(path) + "' twice"
                        : "holds '" + printable(path) + "' both as a " + there.name().toLowerCase() + " and as a "
                        + kind.name().toLowerCase());
            }
        }

        private String required(String name) {
            String path = checkedPath(name);
            if (path == null) {
                throw new ArchiveRefusedException("holds a file or link named '" + printable(name) + "', which is its root folder");
            }
            return path;
        }

        /** The path without its leading {@code ./} and trailing {@code /}; null for the archive's root folder. */
        private String checkedPath(String name) {
            String path = name;
            while (path.startsWith("./")) {
                path = path.substring(2);
            }
            while (path.endsWith("/") && path.length() > 1) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.isEmpty() || path.equals(".")) {
                return null;
            }
            String problem = pathProblem(path);
            if (problem != null) {
                throw new ArchiveRefusedException("holds the path '" + printable(name) + "', " + problem);
            }
            return path;
        }

        /** The target without its empty and {@code .} parts, which the workspace's tar would refuse. */
        private String checkedTarget(String path, String target) {
            String kept = Arrays.stream(target.split("/")).filter(p -> !p.isEmpty() && !p.equals("."))
                    .collect(Collectors.joining("/"));
            String problem = target.startsWith("/") ? "which is absolute"
                    : kept.isEmpty() ? "which is its own folder" : pathProblem(kept);
            if (problem != null) {
                throw new ArchiveRefusedException("holds the link '" + printable(path) + "' to '" + printable(target) + "', "
                        + problem + "; a link must point below its own folder");
            }
            return kept;
        }

        private String pathProblem(String path) {
            if (path.length() > limits.pathChars()) {
                return "longer than " + limits.pathChars() + " characters";
            }
            if (path.startsWith("/")) {
                return "which is absolute";
            }
            if (path.indexOf('\\') >= 0) {
                return "which has a backslash";
            }
            if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return "which has a control character";
            }
            for (String part : path.split("/", -1)) {
                if (part.equals("..")) {
                    return "which goes through '..'";
                }
                if (part.isEmpty() || part.equals(".")) {
                    return "which has an empty or '.' part";
                }
            }
            return null;
        }
    }

    /** Stops a decompressing stream once it has given more than an archive may unpack to. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long most;
        private final Limits limits;
        private long given;

        CappedInputStream(InputStream in, long most, Limits limits) {
            super(in);
            this.most = most;
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            given += n;
            if (given > most) {
                throw new ArchiveRefusedException("unpacks to more than " + limits.expandedBytes() + " bytes");
            }
        }
    }

    private static boolean isTar(InputStream in) throws IOException {
        in.mark(TAR_MAGIC_OFFSET + 8);
        byte[] head = in.readNBytes(TAR_MAGIC_OFFSET + 8);
        in.reset();
        return isTarHeader(head);
    }

    /** POSIX ("ustar\0") and GNU ("ustar ") headers both start their magic with "ustar". */
    private static boolean isTarHeader(byte[] head) {
        return startsWith(head, TAR_MAGIC_OFFSET, "ustar".getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return bytes.length >= offset + prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    /** A name as a message may quote it: control characters replaced, at most 120 characters. */
    private static String printable(String name) {
        String shown = name.length() > 120 ? name.substring(0, 120) + "…" : name;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
