package dev.crucible.executor.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The tar copied at {@code /} into a sandbox that has run nothing but its keeper: the submitted
 * files under {@code workspace/}, owned by the sandbox user, and stdin at {@code io/stdin}, read-only.
 *
 * <p>It is copied before the program exists, so nothing the program could plant (a symlink, say)
 * is ever followed by the host.
 */
final class WorkspaceArchive {
    static final int SANDBOX_UID = 65534;
    static final String WORKSPACE = "workspace";
    static final String STDIN_PATH = "/io/stdin";

    private WorkspaceArchive() {}

    static byte[] build(SandboxSpec spec) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            Set<String> directories = new LinkedHashSet<>();
            for (SandboxSpec.SandboxFile file : spec.files()) {
                String path = checkedRelative(file.path());
                for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    directories.add(path.substring(0, slash));
                }
            }
            for (SandboxSpec.SandboxFile file : spec.files()) {
                // Unpacking must never write through a link: ProjectArchive refuses such archives already.
                if (file.linkTarget() != null && directories.contains(file.path())) {
                    throw new IllegalArgumentException("refusing link '" + file.path() + "': other files are below it");
                }
            }
            for (String directory : directories) {
                TarArchiveEntry entry = new TarArchiveEntry(WORKSPACE + "/" + directory + "/");
                entry.setMode(0_40755);
                owned(entry, SANDBOX_UID);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (SandboxSpec.SandboxFile file : spec.files()) {
                String path = WORKSPACE + "/" + checkedRelative(file.path());
                if (file.linkTarget() != null) {
                    // Relative without "..", a target resolves below the link's own folder whatever the other links are.
                    link(tar, path, checkedRelative(file.linkTarget()));
                } else {
                    put(tar, path, file.content(), file.executable() ? 0_100755 : 0_100644, SANDBOX_UID);
                }
            }
            put(tar, STDIN_PATH.substring(1), spec.stdin(), 0_100444, 0);
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the workspace archive of run " + spec.runId(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * The api refuses bad paths with a 422; this second check keeps the executor safe from a job that
     * did not come through the api (Redis is another way in).
     */
    static String checkedRelative(String path) {
        if (path == null || path.isEmpty() || path.length() > 255 || path.startsWith("/") || path.endsWith("/")
                || path.contains("\\") || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("refusing file path '" + path + "'");
        }
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("refusing file path '" + path + "'");
            }
        }
        return path;
    }

    private static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        entry.setMode(0_120777);
        owned(entry, SANDBOX_UID);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content, int mode, int owner) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        entry.setSize(content.length);
        owned(entry, owner);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void owned(TarArchiveEntry entry, int owner) {
        entry.setUserId(owner);
        entry.setGroupId(owner);
    }
}
