package dev.crucible.sdk;

import static dev.crucible.sdk.Crucible.call;
import static dev.crucible.sdk.Crucible.present;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.sdk.api.SessionsApi;
import dev.crucible.sdk.model.Command;
import dev.crucible.sdk.model.CommandOutputChunk;
import dev.crucible.sdk.model.CommandRequest;
import dev.crucible.sdk.model.CommandStatus;
import dev.crucible.sdk.model.FileEntry;
import dev.crucible.sdk.model.FileListing;
import dev.crucible.sdk.model.Session;
import dev.crucible.sdk.model.SessionRequest;
import dev.crucible.sdk.model.SessionStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One open session of {@link Crucible#openSession}: a sandbox whose {@code /workspace} lives across its
 * commands, until {@link #close()} ends it (or its idle timeout or lifetime does).
 *
 * <pre>{@code
 * try (CrucibleSession session = crucible.openSession("python")) {
 *     session.writeFile("data.txt", "1 2 3\n".getBytes(StandardCharsets.UTF_8));
 *     Command sum = session.run("python3", "-c", "print(sum(map(int, open('data.txt').read().split())))");
 *     System.out.println(sum.getStdout());   // 6
 * }
 * }</pre>
 *
 * Every failure is an unchecked {@link CrucibleException}; the server's problem names the session
 * and its status (409 {@code session_not_ready} once it has ended). Thread-safe, as its client is.
 */
public final class CrucibleSession implements AutoCloseable {
    private final Crucible crucible;
    private final SessionsApi sessions;
    private final ObjectMapper mapper;
    private final UUID id;
    /** {@code /v1/sessions/{id}}. */
    private final String path;

    private CrucibleSession(Crucible crucible, UUID id) {
        this.crucible = crucible;
        this.sessions = crucible.sessionsApi();
        this.mapper = crucible.apiClient().getObjectMapper();
        this.id = id;
        this.path = "/v1/sessions/" + id;
    }

    /** {@link Crucible#openSession(SessionRequest)}: the session once it is ready, within the builder's deadline. */
    static CrucibleSession open(Crucible crucible, SessionRequest request) {
        Duration deadline = crucible.deadline();
        long end = Crucible.deadlineNanos(deadline);
        Session started = present(call(() -> crucible.sessionsApi().createSession(request)), "POST /v1/sessions");
        CrucibleSession session = new CrucibleSession(crucible, started.getId());
        if (started.getStatus() == SessionStatus.STARTING) {
            try {
                started = crucible.poll(session::get, now -> now.getStatus() != SessionStatus.STARTING, end,
                        last -> new CrucibleException("session " + session.id + " was not ready within " + deadline
                                + "; it was starting when last read", null));
            } catch (CrucibleException notReady) {
                // No handle to it is given: left, it would count against the key until its idle timeout.
                try {
                    session.close();
                } catch (CrucibleException notEnded) {
                    notReady.addSuppressed(notEnded);
                }
                throw notReady;
            }
        }
        if (started.getStatus() == SessionStatus.ENDED) {
            throw new CrucibleException("session " + session.id + " did not start: " + started.getEndedReason()
                    + (started.getMessage() == null ? "" : ": " + started.getMessage()), null);
        }
        return session;
    }

    public UUID id() {
        return id;
    }

    /** The session as it is now: its status, {@code expires_at}, and once ended why. */
    public Session get() {
        return present(call(() -> sessions.getSession(id)), "GET " + path);
    }

    /** Runs {@code argv} (no shell: {@code "sh", "-c", "..."} for one) to its end: {@link #run(CommandRequest)}. */
    public Command run(String... argv) {
        return run(new CommandRequest().argv(List.of(argv)));
    }

    /** Runs {@code source}, a program in the session's runtime, to its end: {@link #run(CommandRequest)}. */
    public Command runSource(String source) {
        // Exactly one of the two goes: the generated model starts argv as an empty list.
        return run(new CommandRequest().argv(null).source(Objects.requireNonNull(source, "source")));
    }

    /** {@link #run(CommandRequest, Duration)} within the builder's {@link Crucible.Builder#deadline(Duration) deadline}. */
    public Command run(CommandRequest request) {
        return run(request, crucible.deadline());
    }

    /**
     * Runs a command to its end ({@code finished}, or {@code lost} when the session ended first): posts
     * it with {@code wait=true} and, when the server's longest wait passes first (202, running), polls it
     * until it ends, within {@code deadline}. Past it, a CrucibleException; the command goes on until its
     * own {@code timeout_ms}.
     */
    public Command run(CommandRequest request, Duration deadline) {
        Objects.requireNonNull(request, "request");
        long end = Crucible.deadlineNanos(deadline);
        Command answered = present(call(() -> sessions.runSessionCommand(id, request, true)), "POST " + path + "/commands");
        if (ended(answered)) {
            return answered;
        }
        return crucible.poll(() -> command(answered.getId()), CrucibleSession::ended, end,
                last -> stillRunning(answered.getId(), deadline));
    }

    /**
     * {@link #run(CommandRequest, Duration)}, handing {@code output} each piece of the command's live
     * output, on this thread, as the session's event stream ({@code GET /v1/sessions/{id}/events})
     * brings it. The answered command is the record: the live output is capped, and a stream that broke
     * and was connected again may have missed some.
     */
    public Command run(CommandRequest request, Duration deadline, Consumer<CommandOutputChunk> output) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(output, "output");
        long end = Crucible.deadlineNanos(deadline);
        return crucible.follow(path + "/events", end, new EventStream.Reader<>() {
            /** Null until it is posted. */
            private UUID commandId;

            @Override
            public Command event(ServerSentEvents.Event event) throws IOException {
                switch (event.type()) {
                    case "session" -> {
                        if (commandId == null) {
                            // Posted once the stream is open: a stream opened after a quick command ended shows none of its output.
                            Command started = present(call(() -> sessions.runSessionCommand(id, request, false)), "POST " + path + "/commands");
                            commandId = started.getId();
                            return ended(started) ? started : null;
                        }
                        // First on every connection, and again when the session ends: a command that ended
                        // before this connection saw it is in no later event, so it is read.
                        Command now = command(commandId);
                        return ended(now) ? now : null;
                    }
                    case "command" -> {
                        Command now = mapper.readValue(event.data(), Command.class);
                        return now.getId().equals(commandId) && ended(now) ? now : null;
                    }
                    case "output" -> {
                        CommandOutputChunk chunk = mapper.readValue(event.data(), CommandOutputChunk.class);
                        if (chunk.getCommand().equals(commandId)) {
                            output.accept(chunk);
                        }
                    }
                    default -> { } // events of later versions
                }
                return null;
            }

            @Override
            public CrucibleException late() {
                return commandId != null ? stillRunning(commandId, deadline)
                        : new CrucibleException("the event stream of session " + id + " did not open within " + deadline
                                + "; the command was not run");
            }
        });
    }

    /**
     * Writes {@code content} (at most 1 MiB) to {@code path}, relative to {@code /workspace}; missing
     * folders are made.
     */
    public FileEntry writeFile(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        URI file = file(path);
        byte[] answer = crucible.send(HttpRequest.newBuilder(file)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .header("Content-Type", "application/octet-stream"));
        try {
            return mapper.readValue(answer, FileEntry.class);
        } catch (IOException e) {
            throw new CrucibleException("the answer to PUT " + file + " is not a FileEntry: " + CrucibleException.describe(e), e);
        }
    }

    /** The bytes of the regular file at {@code path} (at most 1 MiB), relative to {@code /workspace}. */
    public byte[] readFile(String path) {
        return crucible.send(HttpRequest.newBuilder(file(path)).GET());
    }

    /** The entries (at most 1000, by name) of the folder {@code dir}, relative to {@code /workspace}; {@code ""} for the workspace. */
    public FileListing listFiles(String dir) {
        Objects.requireNonNull(dir, "dir");
        return present(call(() -> sessions.listSessionFiles(id, dir.isEmpty() ? null : dir)), "GET " + path + "/files");
    }

    /** Pushes the idle deadline back by the session's {@code idle_timeout_s}; the session answered has the new {@code expires_at}. */
    public Session keepAlive() {
        return present(call(() -> sessions.keepSessionAlive(id)), "POST " + path + "/keepalive");
    }

    /** Ends the session: everything in it is killed and nothing of it is kept. Ending an ended session changes nothing. */
    @Override
    public void close() {
        call(() -> sessions.endSession(id));
    }

    @Override
    public String toString() {
        return "CrucibleSession[" + id + "]";
    }

    private Command command(UUID commandId) {
        return present(call(() -> sessions.getSessionCommand(id, commandId)), "GET " + path + "/commands/" + commandId);
    }

    /** Finished, or lost with its session: nothing about it changes any more. */
    private static boolean ended(Command command) {
        return command.getStatus() != CommandStatus.RUNNING;
    }

    private CrucibleException stillRunning(UUID commandId, Duration deadline) {
        return new CrucibleException("command " + commandId + " of session " + id + " was still running after " + deadline
                + "; it goes on until its timeout_ms", null);
    }

    /** Each segment encoded on its own and joined by '/' as it is: a proxy on the way may refuse an encoded slash. */
    private URI file(String relative) {
        Objects.requireNonNull(relative, "path");
        StringJoiner segments = new StringJoiner("/");
        for (String segment : relative.split("/", -1)) {
            segments.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(crucible.baseUri() + path + "/files/" + segments);
    }
}
