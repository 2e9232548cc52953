package dev.crucible.runtime;

import java.util.List;

/**
 * One language, as declared by a manifest file under {@code runtimes/}.
 *
 * @param name          the canonical name, e.g. {@code python}
 * @param version       the language version the image provides
 * @param aliases       other names a submission may use
 * @param packages      the Debian packages installed into the sandbox image
 * @param sourceFile    the file name a single-file submission is stored under; in {@code compile} and
 *                      {@code run}, an argument equal to it stands for the submission's entry file
 * @param compile       the argv that compiles the program in the work folder; empty for interpreted languages
 * @param compileLimits the limits of the compile step, whatever the submission's limits are
 * @param run           the argv that runs the program inside the work folder
 * @param defaultLimits the limits a submission gets when it names none
 * @param imageTag      the local Docker image built from this manifest; it changes whenever the manifest does
 */
public record RuntimeManifest(
        String name,
        String version,
        List<String> aliases,
        List<String> packages,
        String sourceFile,
        List<String> compile,
        DefaultLimits compileLimits,
        List<String> run,
        DefaultLimits defaultLimits,
        String imageTag) {

    /** Limits of a compile step when the manifest names none. */
    public static final DefaultLimits COMPILE_LIMITS = new DefaultLimits(30_000, 1024);

    public RuntimeManifest {
        aliases = List.copyOf(aliases);
        packages = List.copyOf(packages);
        compile = List.copyOf(compile);
        run = List.copyOf(run);
    }

    public boolean compiled() {
        return !compile.isEmpty();
    }

    /** Limits a submission gets when it does not set them. */
    public record DefaultLimits(long wallTimeMs, long memoryMb) {}
}
