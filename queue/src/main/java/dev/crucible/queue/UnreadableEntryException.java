package dev.crucible.queue;

/** A stream entry whose body does not decode: written by something else, or by an incompatible version. */
public final class UnreadableEntryException extends QueueException {
    private final String entryId;

    UnreadableEntryException(String entryId, Class<?> type, Throwable cause) {
        super("stream entry " + entryId + " is not a valid " + type.getSimpleName() + ": " + cause.getMessage(), cause);
        this.entryId = entryId;
    }

    public String entryId() {
        return entryId;
    }
}
