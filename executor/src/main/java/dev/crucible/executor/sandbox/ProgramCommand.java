package dev.crucible.executor.sandbox;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The argv of a program's exec inside its sandbox: a fixed shell script that gives the program its
 * stdin file (and merges stderr when asked), then replaces itself with the program, whose own words
 * stay {@code "$@"}. Request data is only ever a positional parameter of the script, never its text.
 *
 * <p>A small workspace of plain text travels in the same argv ({@link #withFilesInline}): the script
 * writes each file and the stdin with shell builtins before the program starts, which costs a run
 * next to nothing, where a copy through Docker costs ~80 ms of its critical path (dockerd unpacks
 * every copy with a helper process). The files are written inside the sandbox, by the program's uid,
 * into the image's own {@code /workspace} and {@code /io}: nothing on the host follows a path.
 * Anything else, or more, is copied ({@link #afterCopy}, {@link WorkspaceArchive}).
 */
final class ProgramCommand {
    /**
     * Bytes of the inline paths, contents and stdin, as JSON escapes them, that one exec may carry:
     * the socket proxy reads an exec's body whole, in a buffer of 64 KiB.
     */
    static final int INLINE_JSON_BYTES = 32 << 10;
    /** Writes {@code $1} files of {@code path content} pairs, then the stdin, each read-only where the program had it so. */
    private static final String WRITE_INLINE = "n=$1; shift; umask 022;"
            + " while [ \"$n\" -gt 0 ]; do printf %s \"$2\" > \"$1\" || exit 125; shift 2; n=$((n - 1)); done;"
            + " umask 222; printf %s \"$1\" > " + WorkspaceArchive.STDIN_PATH + " || exit 125; shift; umask 022; ";

    private ProgramCommand() {}

    /** The program's argv when its files and stdin were copied in. */
    static List<String> afterCopy(SandboxSpec spec) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", start(spec), "sandbox"));
        command.addAll(spec.command());
        return command;
    }

    /**
     * The program's argv carrying its files and stdin, when they are few and plain enough: top-level,
     * not executable, not links, UTF-8 without NUL (Docker's API is JSON, an argument ends at NUL), and
     * within {@link #INLINE_JSON_BYTES}; empty otherwise.
     */
    static Optional<List<String>> withFilesInline(SandboxSpec spec) {
        // No byte takes less than itself in JSON: a workspace over the budget as it is needs no closer look.
        long rawBytes = spec.stdin().length;
        for (SandboxSpec.SandboxFile file : spec.files()) {
            rawBytes += file.path().length() + file.content().length;
        }
        if (rawBytes > INLINE_JSON_BYTES) {
            return Optional.empty();
        }
        long jsonBytes = jsonBytes(spec.stdin());
        List<String> words = new ArrayList<>(List.of("/bin/sh", "-c", WRITE_INLINE + start(spec), "sandbox",
                Integer.toString(spec.files().size())));
        for (SandboxSpec.SandboxFile file : spec.files()) {
            if (file.linkTarget() != null || file.executable() || file.path().indexOf('/') >= 0) {
                return Optional.empty();
            }
            Optional<String> content = text(file.content());
            if (content.isEmpty()) {
                return Optional.empty();
            }
            jsonBytes += jsonBytes(file.path().getBytes(StandardCharsets.UTF_8)) + jsonBytes(file.content());
            words.add(WorkspaceArchive.checkedRelative(file.path()));
            words.add(content.get());
        }
        Optional<String> stdin = text(spec.stdin());
        if (stdin.isEmpty() || jsonBytes > INLINE_JSON_BYTES) {
            return Optional.empty();
        }
        words.add(stdin.get());
        words.addAll(spec.command());
        return Optional.of(words);
    }

    private static String start(SandboxSpec spec) {
        return "exec \"$@\" < " + WorkspaceArchive.STDIN_PATH + (spec.output().mergeStderr() ? " 2>&1" : "");
    }

    /** {@code bytes} as a string when they are UTF-8 without NUL, so that an argument carries them unchanged. */
    private static Optional<String> text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notText) {
            return Optional.empty();
        }
    }

    /** At most what {@code bytes} take in a JSON string: a control character may become a six-byte escape. */
    private static long jsonBytes(byte[] bytes) {
        long size = 0;
        for (byte b : bytes) {
            size += b == '"' || b == '\\' ? 2 : b >= 0 && b < 0x20 ? 6 : 1;
        }
        return size;
    }
}
