package dev.crucible.queue;

/**
 * The text form of a {@link Job}, exactly as it travels on the job stream; the api keeps it in its
 * outbox so that a job can be published again without being rebuilt. Executors read it back through
 * {@link JobSource}.
 */
public final class JobCodec {
    private final Codec codec = new Codec();

    public String encode(Job job) {
        return codec.write(job);
    }

    /** A job as {@link #encode} wrote it; {@code where} names it in the error when it cannot be read. */
    public Job decode(String json, String where) {
        return codec.read(json, Job.class, where);
    }
}
