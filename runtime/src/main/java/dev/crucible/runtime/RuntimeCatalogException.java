package dev.crucible.runtime;

/** Root of every failure of the runtime catalog. */
public class RuntimeCatalogException extends RuntimeException {
    public RuntimeCatalogException(String message) {
        super(message);
    }

    public RuntimeCatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
