package dev.crucible.runtime;

import java.nio.file.Path;

/** A manifest file that cannot be used; the message names the file and the field. */
public final class InvalidManifestException extends RuntimeCatalogException {
    InvalidManifestException(Path file, String field, String problem) {
        super(file + ": field '" + field + "' " + problem);
    }

    InvalidManifestException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
