package dev.crucible.executor.sandbox;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The image a sandbox ran: its content digest as Docker reported it, and the Debian packages its build
 * recorded in the {@value #PACKAGES_LABEL} label ({@code name=version,...}), which the sandbox's
 * container carries from it. An image built before the label has none.
 */
public record SandboxImage(String id, List<String> packages) {
    public static final String PACKAGES_LABEL = "dev.crucible.packages";
    /** A Debian package name and version, as dpkg-query prints them. */
    private static final Pattern ENTRY = Pattern.compile("[a-z0-9][a-z0-9+.-]{0,63}=[A-Za-z0-9.+~:-]{1,64}");
    private static final int MAX_PACKAGES = 64;

    public SandboxImage {
        packages = List.copyOf(packages);
    }

    /** From a container's id and labels; entries that are not a package and its version are left out. */
    static SandboxImage of(String id, Map<String, String> labels) {
        String listed = labels == null ? null : labels.get(PACKAGES_LABEL);
        List<String> packages = listed == null ? List.of()
                : Arrays.stream(listed.split(",")).map(String::strip).filter(e -> ENTRY.matcher(e).matches()).limit(MAX_PACKAGES).toList();
        return new SandboxImage(id, packages);
    }
}
