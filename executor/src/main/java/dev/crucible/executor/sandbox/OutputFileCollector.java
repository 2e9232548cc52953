package dev.crucible.executor.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
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

    /** Creates an exec in a sandbox as the program's uid, and returns its id. */
    interface Execs {
        String create(String container, List<String> command);
    }

    /**
     * Prints, NUL-terminated, each path argument (after the size bound {@code $1}) that names a
     * regular file below the working folder through real folders only: a symlink as any component
     * would let the program point a path at the sandbox's own files ({@code etcdir -> /etc}). find
     * without -L does not follow its starting point, which covers the last component; the loop
     * checks each folder on the way, in order, so each check resolves through checked folders only.
     * The api has refused empty, "." and ".." parts already.
     */
    static final String LIST = """
            max=$1; shift
            for path; do
              at=.; rest=$path; real=yes
              while [ "${rest#*/}" != "$rest" ]; do
                at=$at/${rest%%/*}; rest=${rest#*/}
                if [ -L "$at" ] || [ ! -d "$at" ]; then real=; break; fi
              done
              [ -n "$real" ] && find "./$path" -maxdepth 0 -type f -size -"$max"c -print0 2>/dev/null
            done""";

    private final DockerClient streams;
    private final Execs execs;

    /** @param streams the client without a response deadline: this class keeps its own */
    OutputFileCollector(DockerClient streams, Execs execs) {
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
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "kill -9 -1 2>/dev/null; " + LIST + " | tar -cf - --null --no-recursion -T -",
                "collect", Integer.toString(SandboxSpec.OUTPUT_FILE_BYTES + 1)));
        command.addAll(paths);
        String exec;
        try {
            exec = execs.create(container, command);
        } catch (SandboxException e) {
            log.info("cannot collect the output files of {}: {}", id, e.getMessage());
            return Map.of();
        }
        long cap = (long) paths.size() * (SandboxSpec.OUTPUT_FILE_BYTES + 1024) + 10240;
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
        return OutputFileArchive.read(output.stdout().kept(), paths);
    }
}
