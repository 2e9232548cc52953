package dev.crucible.queue;

import java.util.List;

/**
 * The answer to a file request of a session.
 *
 * @param refusal null when it was done; else why not
 * @param message what the refusal is about, for the caller
 * @param content a downloaded file's bytes; null otherwise
 * @param entries a listing's entries, by name; empty otherwise
 * @param size    the size of the file written or read; -1 for a listing or a refusal
 */
public record SessionReply(Refusal refusal, String message, byte[] content, List<Entry> entries, boolean truncated, long size) {
    public SessionReply {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    public enum Refusal {
        /** The executor holds no such session (it ended, or the executor restarted). */
        NO_SESSION,
        /** Nothing at the path (or a part of it is not a folder). */
        NOT_FOUND,
        /** A part of the path is a symbolic link, or the path names a folder where a file is wanted, or the reverse. */
        INVALID_PATH,
        /** More than the cap. */
        TOO_LARGE,
        /** The sandbox failed to do it. */
        FAILED
    }

    /** @param type {@code file}, {@code directory}, {@code symlink} or {@code other} */
    public record Entry(String path, String type, long size) {}

    public static SessionReply refused(Refusal refusal, String message) {
        return new SessionReply(refusal, message, null, List.of(), false, -1);
    }
}
