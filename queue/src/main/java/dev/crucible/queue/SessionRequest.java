package dev.crucible.queue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the api asks of sessions: {@link Open} goes to whichever executor has room; the rest go to the
 * executor that holds the session, on its own stream. Those that take a {@code replyTo} are answered
 * with a {@link SessionReply} there; the others answer with {@link SessionEvent}s.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SessionRequest.Open.class, name = "open"),
    @JsonSubTypes.Type(value = SessionRequest.Run.class, name = "run"),
    @JsonSubTypes.Type(value = SessionRequest.PutFile.class, name = "put_file"),
    @JsonSubTypes.Type(value = SessionRequest.GetFile.class, name = "get_file"),
    @JsonSubTypes.Type(value = SessionRequest.ListFiles.class, name = "list_files"),
    @JsonSubTypes.Type(value = SessionRequest.KeepAlive.class, name = "keep_alive"),
    @JsonSubTypes.Type(value = SessionRequest.End.class, name = "end")
})
public sealed interface SessionRequest {
    UUID sessionId();

    /**
     * Start the session's sandbox, write its files, then report {@link SessionEvent.Ready}.
     *
     * @param notAfter an executor that takes this later does not start it: the api has given up on it by then
     */
    record Open(UUID sessionId, Sandbox sandbox, Lifetime lifetime, List<File> files, Instant notAfter) implements SessionRequest {
        public Open {
            Objects.requireNonNull(sandbox, "sandbox");
            Objects.requireNonNull(lifetime, "lifetime");
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** The session's sandbox: its image and memory, fixed at its boot, and the longest a command may run. */
    record Sandbox(String image, long memoryBytes, Duration commandWallTime) {}

    /**
     * @param idleTimeout how long after its last activity the session ends
     * @param endsAt      when it ends at the latest, however busy
     */
    record Lifetime(Duration idleTimeout, Instant endsAt) {}

    /** A file to write into the workspace, its path relative to it. */
    record File(String path, byte[] content) {}

    /**
     * Run a command; its end is reported as {@link SessionEvent.CommandFinished}.
     *
     * @param program either {@code argv}, or a source file written first and run (compiled first) by the runtime's commands
     */
    record Run(UUID sessionId, UUID commandId, Program program, byte[] stdin, Map<String, String> env, Duration timeout)
            implements SessionRequest {
        public Run {
            Objects.requireNonNull(program, "program");
            stdin = stdin == null ? new byte[0] : stdin;
            env = env == null ? Map.of() : Map.copyOf(env);
        }
    }

    /**
     * @param argv       what runs; for a source program, the runtime's run command
     * @param sourceFile where {@code source} is written first; null for a plain command
     * @param compile    the runtime's compile command, run before {@code argv}; empty when there is none
     */
    record Program(List<String> argv, String sourceFile, byte[] source, List<String> compile) {
        public Program {
            argv = List.copyOf(argv);
            compile = compile == null ? List.of() : List.copyOf(compile);
        }

        public static Program command(List<String> argv) {
            return new Program(argv, null, null, List.of());
        }
    }

    record PutFile(UUID sessionId, String replyTo, File file) implements SessionRequest {}

    record GetFile(UUID sessionId, String replyTo, String path, long maxBytes) implements SessionRequest {}

    record ListFiles(UUID sessionId, String replyTo, String dir, int maxEntries) implements SessionRequest {}

    /** Push the idle deadline back: activity. */
    record KeepAlive(UUID sessionId) implements SessionRequest {}

    /** End the session now, for {@code reason} ({@code deleted}). */
    record End(UUID sessionId, String reason) implements SessionRequest {}
}
