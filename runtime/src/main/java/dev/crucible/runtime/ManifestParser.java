package dev.crucible.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the bytes of one manifest into a {@link RuntimeManifest}, or says which field is wrong.
 *
 * <p>The image tag is derived from a SHA-256 of the manifest's exact bytes and {@link #IMAGE_RECIPE}; the launcher reads it (and
 * the checked name and packages) from {@link RuntimeImages} instead of computing it again, so both sides
 * agree on which image belongs to which manifest.
 */
final class ManifestParser {
    /**
     * How the launcher builds an image from a manifest; a change of it (2: the packages' versions
     * recorded in a label; 3: {@code /io} owned by the program's uid) gives every image a new tag, so
     * each one is built again the new way.
     */
    static final int IMAGE_RECIPE = 3;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9+#-]{0,31}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+~-]{0,31}");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * The JSON shape of a manifest, before validation. A class, not a record: its ten fields are the
     * file's, side by side, and with a part grouped by {@code @JsonUnwrapped} Jackson would accept
     * unknown fields instead of refusing them.
     */
    private static final class Raw {
        @JsonProperty String name;
        @JsonProperty String version;
        @JsonProperty List<String> aliases;
        @JsonProperty List<String> packages;
        @JsonProperty("source_file") String sourceFile;
        @JsonProperty List<String> compile;
        @JsonProperty("compile_limits") RawLimits compileLimits;
        @JsonProperty("compile_options") List<String> compileOptions;
        @JsonProperty List<String> run;
        @JsonProperty("default_limits") RawLimits defaultLimits;
    }

    private record RawLimits(
            @JsonProperty("wall_time_ms") Long wallTimeMs,
            @JsonProperty("memory_mb") Long memoryMb) {}

    RuntimeManifest parse(Path file, byte[] content) {
        Raw raw;
        try {
            raw = mapper.readValue(content, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidManifestException(file, e.getPropertyName(), "is not a manifest field");
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(file, "is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new InvalidManifestException(file, "cannot be read", e);
        }
        if (raw == null) {
            throw new InvalidManifestException(file, "(whole file)", "is empty");
        }
        String name = matching(file, "name", raw.name, NAME);
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!stem.equals(name)) {
            throw new InvalidManifestException(file, "name", "is '" + name + "' but the file is named " + stem + ".json");
        }
        String version = matching(file, "version", raw.version, VERSION);
        List<String> aliases = raw.aliases == null ? List.of() : raw.aliases;
        for (String alias : aliases) {
            matching(file, "aliases", alias, ALIAS);
        }
        List<String> packages = required(file, "packages", raw.packages);
        for (String pkg : packages) {
            matching(file, "packages", pkg, PACKAGE);
        }
        String sourceFile = matching(file, "source_file", raw.sourceFile, FILE_NAME);
        List<String> run = arguments(file, "run", required(file, "run", raw.run));
        List<String> compile = arguments(file, "compile", raw.compile == null ? List.of() : raw.compile);
        if (raw.defaultLimits == null) {
            throw new InvalidManifestException(file, "default_limits", "is missing");
        }
        RuntimeManifest.DefaultLimits limits = limits(file, "default_limits", raw.defaultLimits);
        RuntimeManifest.DefaultLimits compileLimits = raw.compileLimits == null
                ? RuntimeManifest.COMPILE_LIMITS : limits(file, "compile_limits", raw.compileLimits);
        List<String> compileOptions = compileOptions(file, raw.compileOptions == null ? List.of() : raw.compileOptions);
        if (compile.isEmpty() && !compileOptions.isEmpty()) {
            throw new InvalidManifestException(file, "compile_options", "is given without a compile command");
        }
        return new RuntimeManifest(name, version, aliases, new RuntimeManifest.Image(imageTag(name, content), packages),
                sourceFile, new RuntimeManifest.Compile(compile, compileLimits, compileOptions), run, limits);
    }

    private static List<String> arguments(Path file, String field, List<String> argv) {
        for (String arg : argv) {
            if (arg == null || arg.isEmpty()) {
                throw new InvalidManifestException(file, field, "has an empty argument");
            }
        }
        return argv;
    }

    /**
     * Each a regular expression for one option, written starting with {@code -} and at most 128
     * characters; {@link RuntimeManifest.Compile#allows} takes only options that start with {@code -}.
     */
    private static List<String> compileOptions(Path file, List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern == null || !pattern.startsWith("-") || pattern.length() > 128) {
                throw new InvalidManifestException(file, "compile_options", "has '" + pattern
                        + "'; each is a regular expression of at most 128 characters for an option starting with -");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new InvalidManifestException(file, "compile_options", "has '" + pattern + "', which is not a regular expression: "
                        + e.getDescription());
            }
        }
        return patterns;
    }

    private static RuntimeManifest.DefaultLimits limits(Path file, String field, RawLimits limits) {
        return new RuntimeManifest.DefaultLimits(
                positive(file, field + ".wall_time_ms", limits.wallTimeMs()),
                positive(file, field + ".memory_mb", limits.memoryMb()));
    }

    static String imageTag(String name, byte[] content) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(("crucible image recipe " + IMAGE_RECIPE + "\n").getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha256.digest(content);
            return "crucible-runtime/" + name + ":" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String matching(Path file, String field, String value, Pattern pattern) {
        if (value == null) {
            throw new InvalidManifestException(file, field, "is missing");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidManifestException(file, field, "has '" + value + "', which does not match " + pattern);
        }
        return value;
    }

    private static <T> List<T> required(Path file, String field, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidManifestException(file, field, "is missing or empty");
        }
        return values;
    }

    private static long positive(Path file, String field, Long value) {
        if (value == null) {
            throw new InvalidManifestException(file, field, "is missing");
        }
        if (value <= 0) {
            throw new InvalidManifestException(file, field, "is " + value + " but must be positive");
        }
        return value;
    }
}
