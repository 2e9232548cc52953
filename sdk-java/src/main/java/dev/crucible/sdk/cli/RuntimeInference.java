package dev.crucible.sdk.cli;

import dev.crucible.sdk.model.Runtime;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The runtime for a program file without --runtime: the one whose source file ({@code main.py},
 * {@code Main.java}) has the same extension, from the server's own list. Extensions that name the
 * same language otherwise ({@code .cc}, {@code .mjs}) are mapped to the one the runtimes use, and an
 * extension that is a runtime's name or alias counts too.
 */
final class RuntimeInference {
    /** Other spellings of a language's extension, to the one the runtimes' source files have. */
    private static final Map<String, String> SAME_LANGUAGE = Map.ofEntries(
            Map.entry("cc", "cpp"), Map.entry("cxx", "cpp"), Map.entry("c++", "cpp"), Map.entry("cp", "cpp"),
            Map.entry("py3", "py"), Map.entry("pyw", "py"),
            Map.entry("mjs", "js"), Map.entry("cjs", "js"),
            Map.entry("bash", "sh"));

    private RuntimeInference() {}

    /** Whether the runtime's name or one of its aliases is {@code extension}. */
    private static boolean namedBy(Runtime runtime, String extension) {
        return extension.equals(lower(runtime.getName()))
                || runtime.getAliases() != null && runtime.getAliases().stream().map(RuntimeInference::lower).anyMatch(extension::equals);
    }

    static String infer(Path file, List<Runtime> runtimes) throws UsageException {
        String extension = extension(file.getFileName() == null ? "" : file.getFileName().toString());
        if (extension.isEmpty()) {
            throw new UsageException(file + " has no extension to tell its language by: name one with --runtime ("
                    + names(runtimes) + ")");
        }
        List<Runtime> matches = bySourceFile(extension, runtimes);
        if (matches.isEmpty() && SAME_LANGUAGE.containsKey(extension)) {
            matches = bySourceFile(SAME_LANGUAGE.get(extension), runtimes);
        }
        if (matches.isEmpty()) {
            matches = runtimes.stream().filter(r -> namedBy(r, extension)).toList();
        }
        if (matches.size() > 1) {
            // Python and python-science both take .py: the one named by the extension (alias py) is the plain one.
            List<Runtime> named = matches.stream().filter(r -> namedBy(r, extension)).toList();
            matches = named.size() == 1 ? named : matches;
        }
        if (matches.size() == 1) {
            return matches.getFirst().getName();
        }
        if (matches.isEmpty()) {
            throw new UsageException("no runtime of this server takes ." + extension + " files: name one with --runtime ("
                    + names(runtimes) + ")");
        }
        throw new UsageException("several runtimes take ." + extension + " files (" + names(matches)
                + "): name one with --runtime");
    }

    private static List<Runtime> bySourceFile(String extension, List<Runtime> runtimes) {
        return runtimes.stream().filter(r -> r.getSourceFile() != null && extension.equals(extension(r.getSourceFile()))).toList();
    }

    /** What follows the last dot of a file name, lower case; nothing for "Makefile" or ".profile". */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1 ? "" : lower(name.substring(dot + 1));
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static String names(List<Runtime> runtimes) {
        return String.join(", ", runtimes.stream().map(Runtime::getName).filter(Objects::nonNull).sorted().toList());
    }
}
