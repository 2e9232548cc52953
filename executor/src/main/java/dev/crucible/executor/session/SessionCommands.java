package dev.crucible.executor.session;

import dev.crucible.executor.live.LiveFeed;
import dev.crucible.executor.sandbox.Ending;
import dev.crucible.executor.sandbox.ExitSignals;
import dev.crucible.executor.sandbox.OutputTap;
import dev.crucible.executor.sandbox.SandboxRun;
import dev.crucible.executor.sandbox.SessionSandboxes;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.OutputChunk;
import dev.crucible.queue.SessionReply;
import dev.crucible.queue.SessionRequest;
import dev.crucible.queue.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What a session's sandbox does for each request: a command (wrapped so that its timeout is kept
 * inside the sandbox, by killing its process group), and the file operations, each a fixed script of
 * {@link SessionScripts}. Results are judged here, from what the host saw.
 */
final class SessionCommands {
    /** How long past a command's own timeout the host waits for its exit before it gives the sandbox up. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final Duration FILE_DEADLINE = Duration.ofSeconds(30);
    private static final long SMALL_OUTPUT = 64 << 10;

    private final SessionSandboxes sandboxes;
    private final long stdoutBytes;
    private final long stderrBytes;
    private final LiveFeed.Settings live;

    SessionCommands(SessionSandboxes sandboxes, long stdoutBytes, long stderrBytes, LiveFeed.Settings live) {
        this.sandboxes = sandboxes;
        this.stdoutBytes = stdoutBytes;
        this.stderrBytes = stderrBytes;
        this.live = live;
    }

    /** A command's judged result; {@code unkillable} when it outlived its kill, and the session must end. */
    record Result(ExecutionEvent.ProgramResult result, ExecutionEvent.Output output, String message, boolean unkillable,
                  boolean outOfMemory) {}

    /** Runs it, its output sent live as it comes; closing the feed waits until Redis holds it, so the result never overtakes it. */
    Result run(LiveSession session, SessionRequest.Run run) {
        try (LiveFeed feed = LiveFeed.ofCommand(live, run.sessionId(), run.commandId())) {
            return run(session, run, feed);
        }
    }

    private Result run(LiveSession session, SessionRequest.Run run, LiveFeed feed) {
        SessionRequest.Program program = run.program();
        if (program.sourceFile() != null) {
            SessionReply written = put(session, new SessionRequest.File(program.sourceFile(), program.source()));
            if (written.refusal() != null) {
                return new Result(null, null, "cannot write " + program.sourceFile() + ": " + written.message(), false, false);
            }
            if (!program.compile().isEmpty()) {
                Result compiled = command(session, run, program.compile(), feed.part(OutputChunk.Stage.COMPILE, null, null));
                if (compiled.unkillable() || compiled.outOfMemory()
                        || compiled.result().verdict() != Verdict.ACCEPTED) {
                    ExecutionEvent.ProgramResult failed = compiled.unkillable() || compiled.outOfMemory() ? compiled.result()
                            : new ExecutionEvent.ProgramResult(Verdict.COMPILE_ERROR, compiled.result().exitCode(),
                                    compiled.result().signal(), compiled.result().wallTimeMs(), compiled.result().usage());
                    return new Result(failed, compiled.output(), "the compile failed", compiled.unkillable(), compiled.outOfMemory());
                }
            }
        }
        return command(session, run, program.argv(), feed.part(OutputChunk.Stage.RUN, null, null));
    }

    /** Runs one step of the command; {@code live} is flushed when its exec is done. */
    private Result command(LiveSession session, SessionRequest.Run run, List<String> argv, LiveFeed.Part live) {
        String stdin = run.stdin().length == 0 ? "" : Base64.getEncoder().encodeToString(run.stdin());
        SandboxRun done;
        try (live) {
            done = sandboxes.exec(session.sandbox, new SessionSandboxes.Exec(
                    SessionScripts.command(run.commandId(), stdin, run.timeout(), run.env(), argv), stdoutBytes, stderrBytes,
                    run.timeout().plus(KILL_GRACE), SessionScripts.stop(run.commandId()), live));
        }
        long wallMs = done.wallTime().toMillis();
        ExecutionEvent.Usage usage = done.usage() == null ? null : new ExecutionEvent.Usage(
                done.usage().cpu() == null ? null : done.usage().cpu().toMillis(), done.usage().peakMemoryBytes() >> 10);
        ExecutionEvent.Output output = output(done);
        return switch (done.ending()) {
            case Ending.TimedOut _ -> new Result(new ExecutionEvent.ProgramResult(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL", wallMs, usage),
                    output, "the command outlived its timeout and its kill", true, false);
            case Ending.OutOfMemory _ -> new Result(new ExecutionEvent.ProgramResult(Verdict.MEMORY_LIMIT_EXCEEDED, null, "SIGKILL", wallMs, usage),
                    output, "the session's sandbox ran out of memory", false, true);
            case Ending.OutputExceeded _ -> new Result(new ExecutionEvent.ProgramResult(Verdict.OUTPUT_LIMIT_EXCEEDED, null, "SIGKILL", wallMs,
                    usage), output, null, false, false);
            case Ending.Cancelled _ -> new Result(null, output, "the command was cancelled", false, false);
            case Ending.Exited(int status) -> {
                // timeout(1) kills the group with SIGKILL at its deadline: 137 then, at or past the timeout, is the timeout.
                boolean timedOut = status == 137 && wallMs >= run.timeout().toMillis();
                Verdict verdict = timedOut ? Verdict.TIME_LIMIT_EXCEEDED : status == 0 ? Verdict.ACCEPTED : Verdict.RUNTIME_ERROR;
                yield new Result(new ExecutionEvent.ProgramResult(verdict, timedOut ? null : status,
                        ExitSignals.of(status), wallMs, usage), output, null, false, false);
            }
        };
    }

    private static ExecutionEvent.Output output(SandboxRun run) {
        SandboxRun.CapturedStream stdout = run.output().stdout();
        SandboxRun.CapturedStream stderr = run.output().stderr();
        return new ExecutionEvent.Output(stdout.kept(), stdout.droppedBytes(), stderr.kept(), stderr.droppedBytes());
    }

    /** Writes a file in chunks to a staging file in the sandbox's /tmp, then moves it into place in one step. */
    SessionReply put(LiveSession session, SessionRequest.File file) {
        String refusal = SessionScripts.refusal(file.path());
        if (refusal != null) {
            return SessionReply.refused(SessionReply.Refusal.INVALID_PATH, refusal);
        }
        UUID upload = UUID.randomUUID();
        String encoded = Base64.getEncoder().encodeToString(file.content());
        int at = 0;
        do {
            int end = Math.min(encoded.length(), at + SessionScripts.CHUNK_CHARS);
            SandboxRun appended = script(session, SessionScripts.append(upload, at == 0, encoded.substring(at, end)), SMALL_OUTPUT);
            if (!(appended.ending() instanceof Ending.Exited(int status)) || status != 0) {
                return failed(appended, "cannot stage the file");
            }
            at = end;
        } while (at < encoded.length());
        SandboxRun placed = script(session, SessionScripts.place(file.path(), upload), SMALL_OUTPUT);
        if (placed.ending() instanceof Ending.Exited(int status)) {
            if (status == 0) {
                long size = Long.parseLong(text(placed.output().stdout().kept()).strip());
                return new SessionReply(null, null, null, List.of(), false, size);
            }
            return refusal(status, file.path(), placed);
        }
        return failed(placed, "cannot write the file");
    }

    SessionReply get(LiveSession session, SessionRequest.GetFile request) {
        String refusal = SessionScripts.refusal(request.path());
        if (refusal != null) {
            return SessionReply.refused(SessionReply.Refusal.INVALID_PATH, refusal);
        }
        SandboxRun read = script(session, SessionScripts.read(request.path(), request.maxBytes()), request.maxBytes());
        if (read.ending() instanceof Ending.OutputExceeded) {
            return SessionReply.refused(SessionReply.Refusal.TOO_LARGE, request.path() + " grew past " + request.maxBytes() + " bytes");
        }
        if (read.ending() instanceof Ending.Exited(int status)) {
            if (status == 0) {
                byte[] content = read.output().stdout().kept();
                return new SessionReply(null, null, content, List.of(), false, content.length);
            }
            return refusal(status, request.path(), read);
        }
        return failed(read, "cannot read the file");
    }

    SessionReply list(LiveSession session, SessionRequest.ListFiles request) {
        String dir = request.dir() == null ? "" : request.dir();
        if (!dir.isEmpty() && SessionScripts.refusal(dir) != null) {
            return SessionReply.refused(SessionReply.Refusal.INVALID_PATH, SessionScripts.refusal(dir));
        }
        SandboxRun listed = script(session, SessionScripts.list(dir, request.maxEntries() + 1), 1L << 20);
        if (listed.ending() instanceof Ending.Exited(int status)) {
            if (status != 0) {
                return refusal(status, dir.isEmpty() ? "." : dir, listed);
            }
            List<SessionReply.Entry> entries = entries(listed.output().stdout().kept(), dir);
            boolean truncated = entries.size() > request.maxEntries();
            return new SessionReply(null, null, null, truncated ? entries.subList(0, request.maxEntries()) : entries, truncated, -1);
        }
        return failed(listed, "cannot list the folder");
    }

    /** Parses {@code find -printf '%y %s %f\0'}: type letter, size, name. */
    static List<SessionReply.Entry> entries(byte[] listing, String dir) {
        List<SessionReply.Entry> entries = new ArrayList<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        for (String line : text(listing).split("\0")) {
            int first = line.indexOf(' ');
            int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
            if (second < 0) {
                continue;
            }
            String type = switch (line.substring(0, first)) {
                case "f" -> "file";
                case "d" -> "directory";
                case "l" -> "symlink";
                default -> "other";
            };
            entries.add(new SessionReply.Entry(prefix + line.substring(second + 1), type, Long.parseLong(line.substring(first + 1, second))));
        }
        return entries;
    }

    private SandboxRun script(LiveSession session, List<String> command, long stdoutCap) {
        return sandboxes.exec(session.sandbox, new SessionSandboxes.Exec(command, stdoutCap, SMALL_OUTPUT, FILE_DEADLINE,
                List.of("true"), OutputTap.NONE));
    }

    private static SessionReply refusal(int status, String path, SandboxRun run) {
        return switch (status) {
            case SessionScripts.EXIT_NOT_FOUND -> SessionReply.refused(SessionReply.Refusal.NOT_FOUND, "nothing is at " + path);
            case SessionScripts.EXIT_SYMLINK -> SessionReply.refused(SessionReply.Refusal.INVALID_PATH,
                    path + " goes through a symbolic link, which file operations do not follow");
            case SessionScripts.EXIT_WRONG_TYPE -> SessionReply.refused(SessionReply.Refusal.INVALID_PATH,
                    path + " (or a part of it) is not of the kind wanted: a regular file to read, a folder to list, no folder to write");
            case SessionScripts.EXIT_TOO_LARGE -> SessionReply.refused(SessionReply.Refusal.TOO_LARGE, path + " is larger than allowed");
            default -> failed(run, "the sandbox failed on " + path);
        };
    }

    private static SessionReply failed(SandboxRun run, String what) {
        return SessionReply.refused(SessionReply.Refusal.FAILED, what + " (" + run.ending() + "): "
                + text(run.output().stderr().kept()).strip());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
