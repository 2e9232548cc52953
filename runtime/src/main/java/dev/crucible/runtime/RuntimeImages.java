package dev.crucible.runtime;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The launcher's view of the manifests: for each one, after {@link ManifestParser}'s own checks, a line
 * {@code name<TAB>imageTag<TAB>packages} (packages joined by commas, as debootstrap's {@code --include}
 * takes them). The launcher builds and tags its images from these lines, so the hash and the name and
 * package rules have one definition, here.
 *
 * <pre>java -cp crucible-runtime.jar:lib/* dev.crucible.runtime.RuntimeImages runtimes/</pre>
 */
public final class RuntimeImages {
    private RuntimeImages() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RuntimeImages <runtimes directory>");
            System.exit(2);
        }
        try {
            print(RuntimeCatalog.load(Path.of(args[0])), System.out);
        } catch (RuntimeCatalogException e) {
            // The launcher shows this line as it is: it names the file and the field.
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static void print(RuntimeCatalog catalog, PrintStream out) {
        for (RuntimeManifest runtime : catalog.all()) {
            out.println(runtime.name() + "\t" + runtime.image().tag() + "\t" + String.join(",", runtime.image().packages()));
        }
        out.flush();
    }
}
