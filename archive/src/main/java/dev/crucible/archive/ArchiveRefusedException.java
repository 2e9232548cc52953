package dev.crucible.archive;

/**
 * An archive {@link ProjectArchive} will not unpack. The message completes a sentence that starts
 * with the field's name ("project.archive holds an absolute path '/etc/passwd'"), so the api can
 * give it to the caller as it is.
 */
public final class ArchiveRefusedException extends RuntimeException {
    ArchiveRefusedException(String message) {
        super(message);
    }

    ArchiveRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
