package dev.crucible.api.submission;

/** Sizes of what a request may carry. nginx's {@code client_max_body_size} must not be smaller than {@link #BODY_BYTES}. */
public final class RequestLimits {
    public static final int BODY_BYTES = 4 << 20;
    public static final int SOURCE_BYTES = 256 << 10;
    public static final int FILES = 32;
    public static final int ALL_FILES_BYTES = 1 << 20;
    public static final int PATH_CHARS = 255;
    public static final int STDIN_BYTES = 1 << 20;
    public static final int ARGS = 64;
    public static final int ARG_BYTES = 4096;
    /** All args together: they travel in the container create, which the Docker proxy takes up to 64 KiB. */
    public static final int ALL_ARGS_BYTES = 16 << 10;
    /** Options added to a runtime's compile command, each of at most {@link #COMPILE_OPTION_CHARS}. */
    public static final int COMPILE_OPTIONS = 16;
    public static final int COMPILE_OPTION_CHARS = 64;
    public static final int TESTS = 64;
    public static final int TEST_NAME_CHARS = 128;
    /** stdin and expected output of every test together. */
    public static final int ALL_TESTS_BYTES = 2 << 20;
    /** Runs of one program; each is a sandbox of its own. */
    public static final int RUNS = 10;
    /** Output files asked for; each comes back at most 256 KiB, as the executor's collector allows. */
    public static final int OUTPUT_FILES = 8;

    private RequestLimits() {}
}
