package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the output files a program left in its sandbox, by a second exec that writes them as a
 * tar to its stdout: the host reads bytes, never a filesystem the program wrote.
 */
final class OutputFileCollector {
    private static final Logger log = LoggerFactory.getLogger(OutputFileCollector.class);
    /** Collecting output files is a few reads in memory. */
    private static final Duration COLLECT_TIME = Duration.ofSeconds(10);

    /**
     * Defines {@code found PATH}, which prints PATH, NUL-terminated, when it names a regular file below
     * the working folder, under the size bound {@code $1}, through real folders only: a symlink as any
     * component would let the program point a path at the sandbox's own files ({@code etcdir -> /etc}).
     * find without -L does not follow its starting point, which covers the last component; the loop
     * checks each folder on the way, in order, so each check resolves through checked folders only.
     */
    private static final String FOUND = """
            max=$1; shift
            found() {
              at=.; rest=$1
              while [ "${rest#*/}" != "$rest" ]; do
                at=$at/${rest%%/*}; rest=${rest#*/}
                if [ -L "$at" ] || [ ! -d "$at" ]; then return; fi
              done
              find "./$1" -maxdepth 0 -type f -size -"$max"c -print0 2>/dev/null
            }
            """;

    /** Lists each path argument that is such a file. The api has refused empty, "." and ".." parts already. */
    static final String LIST = FOUND + "for path; do found \"$path\"; done";

    /**
     * Lists the files each pattern argument matches, as the sandbox's shell expands it (no field
     * splitting, so a pattern stays one). A match with a "." or ".." part is skipped: the api refuses
     * patterns that could make one, and this keeps a job that did not come through it inside too.
     */
    static final String MATCH = FOUND + """
            IFS=
            for pattern; do
              for path in $pattern; do
                case "/$path/" in */./*|*/../*) ;; *) found "$path" ;; esac
              done
            done""";

    /** The most reports one run's patterns collect. */
    static final int MATCHED_FILES = 32;

    private final DockerClient streams;
    private final ExecMaker execs;

    /** @param streams the client without a response deadline: this class keeps its own */
    OutputFileCollector(DockerClient streams, ExecMaker execs) {
        this.streams = streams;
        this.execs = execs;
    }

    /**
     * The output files among {@code paths} that are regular files of at most
     * {@link SandboxSpec#OUTPUT_FILE_BYTES}. Paths go in as arguments, never into the script. The
     * script first kills whatever the program left running (everything of its uid but the script
     * itself; the keeper has another), so nothing changes the files meanwhile. When the sandbox cannot
     * run it (the program's leftovers used up its memory), no file is found.
     *
     * @param id        the sandbox's container id, for messages
     * @param container the sandbox's container name, which execs address
     */
    Map<String, byte[]> collect(String id, String container, List<String> paths) {
        byte[] tar = collectTar(id, container, LIST, paths, paths.size());
        return OutputFileArchive.read(tar, paths);
    }

    /**
     * The same for {@code patterns}: the regular files of at most {@link SandboxSpec#OUTPUT_FILE_BYTES}
     * they match, {@link #MATCHED_FILES} at most, by their path relative to the work folder.
     */
    Map<String, byte[]> collectMatching(String id, String container, List<String> patterns) {
        byte[] tar = collectTar(id, container, MATCH + " | head -z -n " + MATCHED_FILES, patterns, MATCHED_FILES);
        List<PathMatcher> matchers = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        return OutputFileArchive.read(tar, path -> matches(matchers, path), MATCHED_FILES);
    }

    /** Whether the sandbox's name for a file is one the patterns match, as the host reads them. */
    private static boolean matches(List<PathMatcher> matchers, String path) {
        try {
            Path asPath = Path.of(path);
            return matchers.stream().anyMatch(m -> m.matches(asPath));
        } catch (InvalidPathException notAPath) {
            return false;
        }
    }

    /** Runs {@code list} on {@code arguments} and tars what it printed; {@code files} bounds what is read. */
    private byte[] collectTar(String id, String container, String list, List<String> arguments, int files) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "kill -9 -1 2>/dev/null; " + list + " | tar -cf - --null --no-recursion -T -",
                "collect", Integer.toString(SandboxSpec.OUTPUT_FILE_BYTES + 1)));
        command.addAll(arguments);
        String exec;
        try {
            exec = execs.create(container, command);
        } catch (SandboxException e) {
            log.info("cannot collect the output files of {}: {}", id, e.getMessage());
            return new byte[0];
        }
        long cap = (long) files * (SandboxSpec.OUTPUT_FILE_BYTES + 1024) + 10240;
        CappedOutput output = new CappedOutput(cap, 4096, () -> {}, OutputTap.NONE);
        try (CappedOutput attached = streams.execStartCmd(exec).withDetach(false).withTty(false).exec(output)) {
            // Processes the program left behind may still grow its files: what is cut is not collected.
            if (!attached.ended(COLLECT_TIME.toMillis()) || attached.overflowed()) {
                log.info("collecting the output files of {} was cut after {} or {} bytes; the files read whole stand",
                        id, COLLECT_TIME, cap);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while collecting the output files of " + id, e);
        } catch (IOException e) {
            throw new SandboxException("cannot close the collector's stream in " + id, e);
        }
        return output.stdout().kept();
    }
}
