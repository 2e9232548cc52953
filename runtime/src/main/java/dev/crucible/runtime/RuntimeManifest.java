package dev.crucible.runtime;

import java.util.List;

/**
 * One language, as declared by a manifest file under {@code runtimes/}.
 *
 * @param name          the canonical name, e.g. {@code python}
 * @param version       the language version the image provides
 * @param aliases       other names a submission may use
 * @param packages      the Debian packages installed into the sandbox image
 * @param sourceFile    the file name a single-file submission is stored under
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
        List<String> run,
        DefaultLimits defaultLimits,
        String imageTag) {

    public RuntimeManifest {
        aliases = List.copyOf(aliases);
        packages = List.copyOf(packages);
        run = List.copyOf(run);
    }

    /** Limits a submission gets when it does not set them. */
    public record DefaultLimits(long wallTimeMs, long memoryMb) {}
}
