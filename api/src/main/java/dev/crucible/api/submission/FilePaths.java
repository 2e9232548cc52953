package dev.crucible.api.submission;

import java.util.Set;

/** The rules for submitted file paths: relative, inside the work folder, printable, unambiguous. */
public final class FilePaths {
    private FilePaths() {}

    /** What is wrong with {@code path}, or null when it is acceptable. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "is missing";
        }
        if (path.length() > RequestLimits.PATH_CHARS) {
            return "is longer than " + RequestLimits.PATH_CHARS + " characters";
        }
        if (path.startsWith("/")) {
            return "must be relative, not start with '/'";
        }
        if (path.endsWith("/")) {
            return "must name a file, not end with '/'";
        }
        if (path.indexOf('\\') >= 0) {
            return "must use '/' as separator, not '\\'";
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "must not contain control characters";
        }
        int invisible = path.codePoints().filter(c -> Character.getType(c) == Character.FORMAT).findFirst().orElse(-1);
        if (invisible >= 0) {
            // Bidi overrides and their kin (Unicode's format class) make a listed name read as
            // another one: "txt.exe" shown as "exe.txt".
            return "must not contain invisible formatting characters, such as " + String.format("U+%04X", invisible);
        }
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "must not contain empty, '.' or '..' parts";
            }
        }
        return null;
    }

    /** A file that is also used as a folder by another ("a" and "a/b"), or null when there is none. */
    static String clashes(Set<String> paths) {
        for (String path : paths) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String folder = path.substring(0, slash);
                if (paths.contains(folder)) {
                    return "'" + folder + "' is both a file and the folder of '" + path + "'";
                }
            }
        }
        return null;
    }
}
