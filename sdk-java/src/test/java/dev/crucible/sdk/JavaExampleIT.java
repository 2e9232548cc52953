package dev.crucible.sdk;

import static dev.crucible.testsupport.StackVariables.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/java, a project of its own, built as a user would from the installed SDK and run against the
 * stack's public entry with its self-signed certificate: the SDK installs (its POM and its parent's
 * resolve outside this build, with Jackson and the rest as real dependencies) and works from there.
 * What is installed is what this build packaged, into the local repository this build uses; the
 * example is built offline, from a copy, so that it leans on nothing of the checkout.
 */
class JavaExampleIT {
    private static final Duration MAVEN_LIMIT = Duration.ofMinutes(5);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    private final Path root = Path.of(System.getProperty("crucible.root")).toAbsolutePath().normalize();
    private final String maven = System.getProperty("crucible.maven");
    private final String repository = System.getProperty("crucible.maven.repo");
    private final Path jar = Path.of(System.getProperty("crucible.sdk.jar"));
    /** Maven and the example on this JVM's Java (25, as the build's). */
    private final Path javaHome = Path.of(System.getProperty("java.home"));

    @TempDir
    Path folder;

    @Test
    void theExampleBuildsFromTheInstalledSdkAndRunsHelloWorldThroughThePublicEntry() throws IOException {
        assertTrue(Files.isRegularFile(jar), "the SDK's jar is packaged before the integration tests: " + jar);
        Map<String, String> mavenEnv = Map.of("JAVA_HOME", javaHome.toString());
        // The parent POM (-N install), then this build's jar with the module's POM as it is in the checkout.
        Command.Result installed = Command.run(List.of(maven, "-o", "-B", "-q", "-N", "-Dmaven.repo.local=" + repository,
                "-f", root.resolve("pom.xml").toString(), "install", "install:install-file", "-Dfile=" + jar,
                "-DpomFile=" + root.resolve("sdk-java/pom.xml")), folder, mavenEnv, MAVEN_LIMIT);
        assertEquals(0, installed.status(), "installing the SDK: " + installed);

        Path project = folder.resolve("example");
        copy(root.resolve("examples/java"), project);
        Command.Result built = Command.run(List.of(maven, "-o", "-B", "-q", "-Dmaven.repo.local=" + repository,
                "-f", project.resolve("pom.xml").toString(), "package"), project, mavenEnv, MAVEN_LIMIT);
        assertEquals(0, built.status(), "building examples/java: " + built);

        String classpath = project.resolve("target/classes") + ":" + Files.readString(project.resolve("target/classpath.txt")).strip();
        assertTrue(classpath.contains("crucible-sdk-0.1.0-SNAPSHOT.jar") && classpath.contains("jackson-databind"),
                "the example takes the installed SDK and its dependencies: " + classpath);
        Command.Result ran = Command.run(List.of(javaHome.resolve("bin/java").toString(), "-cp", classpath,
                        "dev.crucible.example.Main"), project,
                Map.of("CRUCIBLE_URL", variable("CRUCIBLE_TEST_WEB_URL"), "CRUCIBLE_KEY", variable("CRUCIBLE_TEST_ADMIN_KEY"),
                        "CRUCIBLE_CA", variable("CRUCIBLE_TEST_TLS_CERT")), RUN_LIMIT);

        assertEquals(0, ran.status(), ran.toString());
        assertEquals("verdict: accepted\nstdout: hello\n", ran.stdout(), ran.toString());
    }

    /** The project's pom.xml and src/, not whatever target/ a hand build left beside them. */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.copy(from.resolve("pom.xml"), to.resolve("pom.xml"));
        try (Stream<Path> files = Files.walk(from.resolve("src"))) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
