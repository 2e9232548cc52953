package dev.crucible.runtime;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One language, as declared by a manifest file under {@code runtimes/}.
 *
 * @param name          the canonical name, e.g. {@code python}
 * @param version       the language version the image provides
 * @param aliases       other names a submission may use
 * @param image         the sandbox image built from this manifest
 * @param sourceFile    the file name a single-file submission is stored under; in {@code compile} and
 *                      {@code run}, an argument equal to it stands for the submission's entry file
 * @param compile       the compile step; its command is empty for interpreted languages
 * @param run           the argv that runs the program inside the work folder
 * @param defaultLimits the limits a submission gets when it names none
 */
public record RuntimeManifest(
        String name,
        String version,
        List<String> aliases,
        Image image,
        String sourceFile,
        Compile compile,
        List<String> run,
        DefaultLimits defaultLimits) {

    /** Limits of a compile step when the manifest names none. */
    public static final DefaultLimits COMPILE_LIMITS = new DefaultLimits(30_000, 1024);

    public RuntimeManifest {
        aliases = List.copyOf(aliases);
        run = List.copyOf(run);
    }

    public boolean compiled() {
        return !compile.command().isEmpty();
    }

    /**
     * @param tag      the local Docker image; it changes whenever the manifest does
     * @param packages the Debian packages installed into it
     */
    public record Image(String tag, List<String> packages) {
        public Image {
            packages = List.copyOf(packages);
        }
    }

    /**
     * @param command the argv that compiles the program in the work folder; empty for interpreted languages
     * @param limits  the limits of the compile step, whatever the submission's limits are
     * @param options the regular expressions an option a submission adds to {@code command} must match
     *                whole, one of them; none: a submission adds nothing
     */
    public record Compile(List<String> command, DefaultLimits limits, List<String> options) {
        public Compile {
            command = List.copyOf(command);
            options = List.copyOf(options);
        }

        /**
         * Whether a submission may add {@code option} after the command: an option, never a file
         * (whatever a pattern's alternatives say), matched whole by one of the patterns.
         */
        public boolean allows(String option) {
            return option.startsWith("-") && options.stream().anyMatch(pattern -> Pattern.matches("(?:" + pattern + ")", option));
        }
    }

    /** Limits a submission gets when it does not set them. */
    public record DefaultLimits(long wallTimeMs, long memoryMb) {}
}
