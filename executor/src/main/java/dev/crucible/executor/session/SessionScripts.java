package dev.crucible.executor.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The fixed shell scripts a session's sandbox runs for its commands and files, and the argv that
 * passes them their data. Request data is only ever a positional parameter, never part of a script's
 * text. Paths are checked here first (relative, no {@code .}, {@code ..} or empty parts, no control
 * characters); inside the sandbox every part is then walked from the work folder, refusing a
 * symbolic link at any step, so nothing a command planted can redirect a file operation. What such a
 * redirect could still reach is only the sandbox's own filesystem, as the sandbox's own user.
 */
final class SessionScripts {
    /** Base64 characters of a file's bytes per exec: the proxy reads an exec's whole body, in 64 KiB. */
    static final int CHUNK_CHARS = 44_000;
    /** A command's stdin travels as base64 in its own exec's body, so it is capped as one chunk is. */
    static final int STDIN_BYTES = CHUNK_CHARS / 4 * 3;
    static final int EXIT_NOT_FOUND = 2;
    static final int EXIT_SYMLINK = 3;
    static final int EXIT_WRONG_TYPE = 4;
    static final int EXIT_TOO_LARGE = 6;
    private static final int MAX_PATH = 255;
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    /**
     * Walks "$1" part by part from the work folder into {@code $dir} (its folder) and {@code $leaf} (its last
     * part); with "mk" in $mode, makes missing folders. A link on the way, or a part that is no folder, exits.
     */
    private static final String WALK = """
            set -f; umask 022
            rest=$1; dir=.
            while :; do
              case $rest in */*) ;; *) break ;; esac
              part=${rest%%/*}; rest=${rest#*/}; dir=$dir/$part
              if [ -L "$dir" ]; then exit 3; fi
              if [ -e "$dir" ] && [ ! -d "$dir" ]; then exit 4; fi
              if [ ! -e "$dir" ]; then
                if [ "$mode" = mk ]; then mkdir -- "$dir" || exit 5; else exit 2; fi
              fi
            done
            leaf=$dir/$rest
            if [ -L "$leaf" ]; then exit 3; fi
            """;

    /**
     * $1 command id, $2 stdin as base64, $3 timeout in seconds, then the command's variables (NAME=value),
     * "--" and the argv. Its pid leads the command's process group. The variables are exported only in the
     * shell that becomes the command, so none (PATH, LD_PRELOAD) can change what this script or timeout(1) runs;
     * without variables that shell is skipped (a process costs about 10 ms in gVisor).
     */
    private static final String COMMAND = """
            if [ -n "$2" ]; then
              f=/tmp/.crucible-stdin-$1
              printf %s "$2" | base64 -d > "$f" || exit 125
              exec 0< "$f"; rm -f -- "$f"
            else
              exec 0< /dev/null
            fi
            echo $$ > "/tmp/.crucible-cmd-$1"
            t=$3; shift 3
            if [ "$1" = -- ]; then shift; exec timeout -s KILL "$t" "$@"; fi
            exec timeout -s KILL "$t" sh -c 'while [ "$1" != -- ]; do export "$1"; shift; done; shift; exec "$@"' sh "$@"
            """;

    /** $1 command id: kills the command's whole process group, what it left in the background included. */
    private static final String STOP = """
            p=$(cat "/tmp/.crucible-cmd-$1") && kill -KILL -- "-$p"
            """;

    /** $1 upload id, $2 "new" or "more", $3 a chunk of base64. */
    private static final String APPEND = """
            f=/tmp/.crucible-up-$1
            if [ "$2" = new ]; then : > "$f" || exit 5; fi
            printf %s "$3" | base64 -d >> "$f" || exit 5
            """;

    /** $1 path, $2 upload id: moves the upload to the path, making its folders; prints its size. */
    private static final String PLACE = "src=/tmp/.crucible-up-$2; mode=mk\ntrap 'rm -f -- \"$src\"' EXIT\n" + WALK + """
            if [ -d "$leaf" ]; then exit 4; fi
            mv -f -- "$src" "$leaf" || exit 5
            stat -c %s -- "$leaf"
            """;

    /** $1 path, $2 most bytes: prints a regular file's bytes. */
    private static final String READ = "mode=\n" + WALK + """
            if [ ! -e "$leaf" ]; then exit 2; fi
            if [ ! -f "$leaf" ]; then exit 4; fi
            s=$(stat -c %s -- "$leaf") || exit 5
            if [ "$s" -gt "$2" ]; then exit 6; fi
            exec cat -- "$leaf"
            """;

    /** $1 folder (with a trailing part, "." for the workspace), $2 most entries: type, size, name, NUL-ended, by name. */
    private static final String LIST = "mode=\n" + WALK + """
            if [ ! -e "$leaf" ]; then exit 2; fi
            if [ ! -d "$leaf" ]; then exit 4; fi
            cd -- "$leaf" || exit 5
            find . -mindepth 1 -maxdepth 1 -printf '%y %s %f\\0' | LC_ALL=C sort -z | head -z -n "$2"
            """;

    private SessionScripts() {}

    /** Why {@code path} is refused as a workspace path; null when it is fine. */
    static String refusal(String path) {
        if (path == null || path.isEmpty()) {
            return "a path is required";
        }
        if (path.length() > MAX_PATH) {
            return "a path may have at most " + MAX_PATH + " characters";
        }
        if (CONTROL.matcher(path).find()) {
            return "a path may not hold control characters";
        }
        if (path.startsWith("/")) {
            return "a path is relative to the workspace";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "a path may not have empty, '.' or '..' parts";
            }
        }
        return null;
    }

    /** @param env the command's own variables; names as the api checked them, so none holds "=" or is "--" */
    static List<String> command(UUID commandId, String stdinBase64, Duration timeout, Map<String, String> env, List<String> argv) {
        long millis = Math.max(1, timeout.toMillis());
        List<String> command = new ArrayList<>(List.of("sh", "-c", COMMAND, "sh", commandId.toString(), stdinBase64,
                String.format("%d.%03d", millis / 1000, millis % 1000)));
        env.forEach((name, value) -> command.add(name + "=" + value));
        command.add("--");
        command.addAll(argv);
        return command;
    }

    static List<String> stop(UUID commandId) {
        return List.of("sh", "-c", STOP, "sh", commandId.toString());
    }

    static List<String> append(UUID uploadId, boolean first, String chunk) {
        return List.of("sh", "-c", APPEND, "sh", uploadId.toString(), first ? "new" : "more", chunk);
    }

    static List<String> place(String path, UUID uploadId) {
        return List.of("sh", "-c", PLACE, "sh", checked(path), uploadId.toString());
    }

    static List<String> read(String path, long maxBytes) {
        return List.of("sh", "-c", READ, "sh", checked(path), Long.toString(maxBytes));
    }

    /** {@code dir} null or empty lists the workspace. */
    static List<String> list(String dir, int maxEntries) {
        String path = dir == null || dir.isEmpty() ? "." : checked(dir) + "/.";
        return List.of("sh", "-c", LIST, "sh", path, Integer.toString(maxEntries));
    }

    private static String checked(String path) {
        String refusal = refusal(path);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal + ": " + path);
        }
        return path;
    }
}
