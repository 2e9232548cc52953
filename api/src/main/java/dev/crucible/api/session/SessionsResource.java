package dev.crucible.api.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.ApiConfig;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.auth.KeyValidity;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Request;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.Command;
import dev.crucible.api.model.CommandPage;
import dev.crucible.api.model.CommandRequest;
import dev.crucible.api.model.CommandStatus;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.FileEntry;
import dev.crucible.api.model.FileListing;
import dev.crucible.api.model.Session;
import dev.crucible.api.model.SessionEndedReason;
import dev.crucible.api.model.SessionLimits;
import dev.crucible.api.model.SessionPage;
import dev.crucible.api.model.SessionRequest;
import dev.crucible.api.model.SessionStatus;
import dev.crucible.api.model.SourceFile;
import dev.crucible.api.submission.ChangeSignals;
import dev.crucible.api.submission.FilePaths;
import dev.crucible.api.submission.SourceFiles;
import dev.crucible.queue.LiveOutput;
import dev.crucible.queue.QueueException;
import dev.crucible.queue.SessionDispatch;
import dev.crucible.queue.SessionReply;
import dev.crucible.queue.SessionRequest.File;
import dev.crucible.queue.SessionRequest.Lifetime;
import dev.crucible.queue.SessionRequest.Sandbox;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /v1/sessions}: the rows live here, the sandbox on the executor that took the session's start.
 * Commands go to that executor and come back as session events ({@link SessionEventConsumer}); file
 * operations wait for its answer. Every limit of the contract is checked here, before anything is sent.
 */
public final class SessionsResource {
    private static final Access SUBMITTERS = Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER);
    static final int MAX_OPEN_PER_KEY = 4;
    static final int MAX_RUNNING_COMMANDS = 4;
    static final int DEFAULT_IDLE_S = 300;
    static final int MAX_IDLE_S = 3600;
    static final int DEFAULT_LIFETIME_S = 1800;
    static final int MAX_LIFETIME_S = 86_400;
    static final long DEFAULT_COMMAND_MS = 30_000;
    static final long MAX_COMMAND_MS = 600_000;
    static final int FILE_BYTES = 1 << 20;
    static final int FILES_BYTES = 4 << 20;
    static final int MAX_FILES = 100;
    static final int MAX_LISTED = 1000;
    /**
     * A command's stdin, argv and env travel in its exec's body, which the socket proxy reads whole, in 64 KiB:
     * argv and env are measured as they are written there, JSON-escaped, so that control characters (six
     * bytes each) cannot push it past.
     */
    static final int STDIN_BYTES = 24 << 10;
    static final int ARGV_BYTES = 16 << 10;
    static final int ARGV_PARTS = 256;
    static final int ENV_ENTRIES = 64;
    static final int ENV_BYTES = 4 << 10;
    /** How long a start may wait for an executor with room before the api gives it up. */
    static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CREATE_WAIT = Duration.ofSeconds(10);
    private static final Duration FILE_WAIT = Duration.ofSeconds(40);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final SessionStore store;
    private final SessionDispatch dispatch;
    private final RuntimeCatalog catalog;
    private final ApiConfig.RunLimits limits;
    private final JsonBody body;
    private final ObjectMapper mapper;
    private final ChangeSignals signals;
    private final Duration maxWait;
    private final Clock clock;
    private final SessionEventStream events;

    public SessionsResource(SessionStore store, SessionDispatch dispatch, RuntimeCatalog catalog, ApiConfig.RunLimits limits,
                            JsonBody body, ObjectMapper mapper, ChangeSignals signals, Duration maxWait, Clock clock,
                            LiveOutput live, KeyValidity keys) {
        this.store = store;
        this.dispatch = dispatch;
        this.catalog = catalog;
        this.limits = limits;
        this.body = body;
        this.mapper = mapper;
        this.signals = signals;
        this.maxWait = maxWait;
        this.clock = clock;
        this.events = new SessionEventStream(store, signals, mapper, live, keys, this::command);
    }

    public void addRoutes(Router router) {
        router.add("GET", "/v1/sessions", Access.anyKey(), request -> Response.ok(list(request)));
        router.add("POST", "/v1/sessions", SUBMITTERS,
                request -> new Response(201, create(body.read(request.exchange(), SessionRequest.class))));
        router.add("GET", "/v1/sessions/{id}", Access.anyKey(), request -> Response.ok(view(session(request))));
        router.add("DELETE", "/v1/sessions/{id}", SUBMITTERS, request -> Response.ok(end(session(request))));
        router.add("POST", "/v1/sessions/{id}/keepalive", SUBMITTERS, request -> Response.ok(keepAlive(session(request))));
        router.add("GET", "/v1/sessions/{id}/events", Access.anyKey(), request -> events.open(Caller.current(), session(request),
                request.exchange().getRequestHeaders().getFirst("Last-Event-ID")));
        router.add("GET", "/v1/sessions/{id}/commands", Access.anyKey(), request -> Response.ok(new CommandPage(
                store.commands(session(request).id()).stream().map(this::command).toList())));
        router.add("POST", "/v1/sessions/{id}/commands", SUBMITTERS, request -> {
            SessionStore.Row session = session(request);
            Command command = run(session, body.read(request.exchange(), CommandRequest.class), request.flag("wait"));
            return new Response(command.getStatus() == CommandStatus.RUNNING ? 202 : 200, command);
        });
        router.add("GET", "/v1/sessions/{id}/commands/{command}", Access.anyKey(), request -> {
            SessionStore.Row session = session(request);
            UUID id = request.idParameter("command", raw -> "no command " + raw + " in session " + session.id());
            return Response.ok(command(store.command(session.id(), id)
                    .orElseThrow(() -> new ApiException.NotFound("no command " + id + " in session " + session.id()))));
        });
        router.add("GET", "/v1/sessions/{id}/files", Access.anyKey(), request -> Response.ok(listFiles(session(request),
                request.query("dir").orElse(""))));
        router.add("PUT", "/v1/sessions/{id}/files/{path...}", SUBMITTERS, request -> {
            SessionStore.Row session = session(request);
            String path = path(request);
            return Response.ok(upload(session, path, rawBody(request)));
        });
        router.add("GET", "/v1/sessions/{id}/files/{path...}", Access.anyKey(), request -> {
            byte[] content = download(session(request), path(request));
            return new Response(200, new Response.Stream("application/octet-stream", out -> out.write(content)));
        });
    }

    private SessionStore.Row session(Request request) {
        UUID id = request.idParameter("id", raw -> "no session " + raw + " for this API key");
        return store.find(id, Caller.current()).orElseThrow(() -> new ApiException.NotFound("no session " + id + " for this API key"));
    }

    private SessionPage list(Request request) {
        int limit = request.wholeNumber("limit").orElse(20);
        if (limit < 1 || limit > 100) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("limit", "1..100")));
        }
        return new SessionPage(store.list(Caller.current(), limit, request.flag("open")).stream().map(SessionsResource::view).toList());
    }

    private Session create(SessionRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Optional<RuntimeManifest> found = Optional.ofNullable(request.getRuntime()).flatMap(catalog::find);
        if (request.getRuntime() == null) {
            errors.add(new FieldError("runtime", "is required"));
        } else if (found.isEmpty()) {
            throw new ApiException.UnknownRuntime(request.getRuntime());
        }
        SessionLimits given = request.getLimits() == null ? new SessionLimits() : request.getLimits();
        long memoryMb = given.getMemoryMb() != null ? given.getMemoryMb() : found.map(r -> r.defaultLimits().memoryMb()).orElse(256L);
        long commandMs = given.getCommandWallTimeMs() != null ? given.getCommandWallTimeMs() : DEFAULT_COMMAND_MS;
        int idle = request.getIdleTimeoutS() != null ? request.getIdleTimeoutS() : DEFAULT_IDLE_S;
        int lifetime = request.getMaxLifetimeS() != null ? request.getMaxLifetimeS() : DEFAULT_LIFETIME_S;
        range(errors, "limits.memory_mb", memoryMb, ApiConfig.RunLimits.MIN_MEMORY_MB, limits.maxMemoryMb());
        range(errors, "limits.command_wall_time_ms", commandMs, ApiConfig.RunLimits.MIN_WALL_TIME_MS, MAX_COMMAND_MS);
        range(errors, "idle_timeout_s", idle, 1, MAX_IDLE_S);
        range(errors, "max_lifetime_s", lifetime, 1, MAX_LIFETIME_S);
        List<File> files = files(errors, request.getFiles());
        if (!errors.isEmpty()) {
            throw new ApiException.InvalidRequest(errors);
        }
        RuntimeManifest runtime = found.orElseThrow();
        UUID id = UUID.randomUUID();
        SessionStore.Row row = store.insert(id, Caller.current(), runtime.name(), new SessionStore.Limits(memoryMb, commandMs),
                new SessionStore.Lifetime(idle, lifetime), MAX_OPEN_PER_KEY);
        CompletableFuture<Void> changed = signals.next(id);
        try {
            dispatch.open(new dev.crucible.queue.SessionRequest.Open(id,
                    new Sandbox(runtime.image().tag(), memoryMb << 20, Duration.ofMillis(commandMs)),
                    new Lifetime(Duration.ofSeconds(idle), row.times().createdAt().plusSeconds(lifetime)), files,
                    clock.instant().plus(START_DEADLINE)));
        } catch (QueueException e) {
            store.markEnded(id, "start_failed", "the queue could not take the start: " + e.getMessage(), clock.instant());
            throw new ApiException.ServiceUnavailable("the queue is unavailable; the session was not started", e);
        }
        return view(signals.awaitUntil(id, changed, CREATE_WAIT, () -> store.find(id).orElseThrow(),
                now -> !now.status().equals("starting")));
    }

    private static void range(List<FieldError> errors, String field, long value, long min, long max) {
        if (value < min || value > max) {
            errors.add(new FieldError(field, "must be within " + min + ".." + max + ", was " + value));
        }
    }

    /** Checked as a submission's files are, and each within {@link #FILE_BYTES}: what an upload may be. */
    private static List<File> files(List<FieldError> errors, List<SourceFile> given) {
        List<File> files = new ArrayList<>();
        for (SourceFiles.Checked file : SourceFiles.check(errors, "files", given, MAX_FILES, FILES_BYTES)) {
            if (file.content().length > FILE_BYTES) {
                errors.add(new FieldError("files[" + file.index() + "].content", "is " + file.content().length + " bytes; at most "
                        + FILE_BYTES));
            }
            files.add(new File(file.path(), file.content()));
        }
        return files;
    }

    private Session end(SessionStore.Row session) {
        if (!session.status().equals("ended")) {
            Instant at = clock.instant();
            if (store.markEnded(session.id(), "deleted", null, at) && session.where().executor() != null) {
                send(session, new dev.crucible.queue.SessionRequest.End(session.id(), "deleted"));
            }
            // A start not yet taken is not started: its executor finds it ended when it reports it ready.
        }
        return view(store.find(session.id()).orElseThrow());
    }

    private Session keepAlive(SessionStore.Row session) {
        requireReady(session);
        if (!store.touch(session.id())) {
            requireReady(store.find(session.id()).orElseThrow());
        }
        send(session, new dev.crucible.queue.SessionRequest.KeepAlive(session.id()));
        return view(store.find(session.id()).orElseThrow());
    }

    private static void requireReady(SessionStore.Row session) {
        if (!session.status().equals("ready")) {
            throw new ApiException.SessionNotReady("session " + session.id() + " is " + session.status()
                    + (session.endedReason() != null ? " (" + session.endedReason() + ")" : ""));
        }
    }

    private void send(SessionStore.Row session, dev.crucible.queue.SessionRequest request) {
        try {
            dispatch.send(session.where().executor(), request);
        } catch (QueueException e) {
            throw new ApiException.ServiceUnavailable("the queue is unavailable: " + e.getMessage(), e);
        }
    }

    private Command run(SessionStore.Row session, CommandRequest request, boolean wait) {
        requireReady(session);
        List<FieldError> errors = new ArrayList<>();
        List<String> argv = request.getArgv() == null ? List.of() : request.getArgv();
        boolean hasSource = request.getSource() != null;
        if (argv.isEmpty() == !hasSource) {
            errors.add(new FieldError("argv", "give exactly one of argv and source"));
        }
        long argvBytes = json(argv).getBytes(StandardCharsets.UTF_8).length;
        if (argv.size() > ARGV_PARTS || argvBytes > ARGV_BYTES) {
            errors.add(new FieldError("argv", "has " + argv.size() + " parts of " + argvBytes + " bytes; at most " + ARGV_PARTS
                    + " parts and " + ARGV_BYTES + " bytes (larger input goes in a file)"));
        }
        if (argv.stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
            errors.add(new FieldError("argv", "must not contain NUL"));
        }
        byte[] source = hasSource ? request.getSource().getBytes(StandardCharsets.UTF_8) : null;
        if (source != null && source.length > FILE_BYTES) {
            errors.add(new FieldError("source", "is " + source.length + " bytes; at most " + FILE_BYTES));
        }
        byte[] stdin = request.getStdin() == null ? new byte[0]
                : SourceFiles.bytes(errors, "stdin", request.getStdin(), request.getStdinEncoding());
        if (stdin.length > STDIN_BYTES) {
            errors.add(new FieldError("stdin", "is " + stdin.length + " bytes; at most " + STDIN_BYTES
                    + " (larger input goes in a file, read with a shell's '<')"));
        }
        long timeoutMs = request.getTimeoutMs() != null ? request.getTimeoutMs() : session.limits().commandWallTimeMs();
        range(errors, "timeout_ms", timeoutMs, ApiConfig.RunLimits.MIN_WALL_TIME_MS, session.limits().commandWallTimeMs());
        Map<String, String> env = request.getEnv() == null ? Map.of() : request.getEnv();
        for (Map.Entry<String, String> entry : env.entrySet()) {
            if (!ENV_NAME.matcher(entry.getKey()).matches()) {
                errors.add(new FieldError("env", "'" + entry.getKey() + "' is no variable name (letters, digits and _, not first a digit)"));
            }
            if (entry.getValue() == null || entry.getValue().indexOf('\0') >= 0) {
                errors.add(new FieldError("env", entry.getKey() + " must have a value without NUL"));
            }
        }
        long envBytes = json(env).getBytes(StandardCharsets.UTF_8).length;
        if (env.size() > ENV_ENTRIES || envBytes > ENV_BYTES) {
            errors.add(new FieldError("env", "at most " + ENV_ENTRIES + " variables of " + ENV_BYTES + " bytes together"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException.InvalidRequest(errors);
        }
        RuntimeManifest runtime = catalog.find(session.runtime()).orElseThrow();
        dev.crucible.queue.SessionRequest.Program program = hasSource
                ? new dev.crucible.queue.SessionRequest.Program(runtime.run(), runtime.sourceFile(), source, runtime.compile().command())
                : dev.crucible.queue.SessionRequest.Program.command(argv);
        UUID id = UUID.randomUUID();
        store.insertCommand(id, session.id(), Caller.current(), json(program.argv()), MAX_RUNNING_COMMANDS);
        signals.changed(session.id());
        CompletableFuture<Void> changed = signals.next(id);
        try {
            dispatch.send(session.where().executor(), new dev.crucible.queue.SessionRequest.Run(session.id(), id, program, stdin,
                    env, Duration.ofMillis(timeoutMs)));
        } catch (QueueException e) {
            store.finishCommand(id, "lost", null, clock.instant());
            throw new ApiException.ServiceUnavailable("the queue is unavailable; the command was not run", e);
        }
        Supplier<SessionStore.CommandRow> read = () -> store.command(session.id(), id).orElseThrow();
        return command(wait ? signals.awaitUntil(id, changed, maxWait, read, row -> !row.status().equals("running")) : read.get());
    }

    private FileEntry upload(SessionStore.Row session, String path, byte[] content) {
        SessionReply reply = ask(session, address -> new dev.crucible.queue.SessionRequest.PutFile(session.id(), address,
                new File(path, content)));
        store.touch(session.id());
        return new FileEntry(path, FileEntry.TypeEnum.FILE).size(reply.size());
    }

    private byte[] download(SessionStore.Row session, String path) {
        SessionReply reply = ask(session, address -> new dev.crucible.queue.SessionRequest.GetFile(session.id(), address, path, FILE_BYTES));
        store.touch(session.id());
        return reply.content();
    }

    private FileListing listFiles(SessionStore.Row session, String dir) {
        if (!dir.isEmpty()) {
            String problem = FilePaths.problem(dir);
            if (problem != null) {
                throw new ApiException.InvalidRequest(List.of(new FieldError("dir", problem)));
            }
        }
        SessionReply reply = ask(session, address -> new dev.crucible.queue.SessionRequest.ListFiles(session.id(), address, dir, MAX_LISTED));
        store.touch(session.id());
        return new FileListing(dir.isEmpty() ? "." : dir, reply.entries().stream()
                .map(e -> new FileEntry(e.path(), FileEntry.TypeEnum.fromValue(e.type())).size(e.size())).toList(), reply.truncated());
    }

    /** Asks the session's executor and maps a refusal to its error; no answer in time is a 503. */
    private SessionReply ask(SessionStore.Row session, java.util.function.Function<String, dev.crucible.queue.SessionRequest> request) {
        requireReady(session);
        Optional<SessionReply> answered;
        try {
            answered = dispatch.ask(session.where().executor(), request, FILE_WAIT);
        } catch (QueueException e) {
            throw new ApiException.ServiceUnavailable("the queue is unavailable: " + e.getMessage(), e);
        }
        SessionReply reply = answered.orElseThrow(() -> new ApiException.ServiceUnavailable("the executor holding session "
                + session.id() + " did not answer within " + FILE_WAIT.toSeconds() + " s", Duration.ofSeconds(5)));
        if (reply.refusal() == null) {
            return reply;
        }
        throw switch (reply.refusal()) {
            case NO_SESSION -> new ApiException.SessionNotReady("session " + session.id() + " has ended");
            case NOT_FOUND -> new ApiException.NotFound(reply.message());
            case INVALID_PATH -> new ApiException.InvalidRequest(List.of(new FieldError("path", reply.message())));
            case TOO_LARGE -> new ApiException.PayloadTooLarge(reply.message() + "; at most " + FILE_BYTES + " bytes");
            case FAILED -> new ApiException.ServiceUnavailable("the sandbox failed: " + reply.message(), Duration.ofSeconds(1));
        };
    }

    /** The rest of the path after files/, percent-decoded (a '/' may come as is or as %2F), checked as a workspace path. */
    private static String path(Request request) {
        String raw = request.pathParameter("path");
        String path;
        try {
            path = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("path", "is not valid percent-encoding")));
        }
        String problem = FilePaths.problem(path);
        if (problem != null) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("path", problem)));
        }
        return path;
    }

    private static byte[] rawBody(Request request) {
        try (InputStream in = request.exchange().getRequestBody()) {
            byte[] content = in.readNBytes(FILE_BYTES + 1);
            if (content.length > FILE_BYTES) {
                throw new ApiException.PayloadTooLarge("a file may have at most " + FILE_BYTES + " bytes");
            }
            return content;
        } catch (IOException e) {
            throw new ApiException.MalformedJson("cannot read the request body: " + e.getMessage(), e);
        }
    }

    static Session view(SessionStore.Row row) {
        Session view = new Session(row.id(), SessionStatus.fromValue(row.status()), row.runtime(),
                new SessionLimits().memoryMb(row.limits().memoryMb()).commandWallTimeMs(row.limits().commandWallTimeMs()),
                row.lifetime().idleTimeoutS(), row.lifetime().maxLifetimeS(), row.times().createdAt().atOffset(ZoneOffset.UTC),
                row.times().expiresAt().atOffset(ZoneOffset.UTC));
        if (row.times().readyAt() != null) {
            view.readyAt(row.times().readyAt().atOffset(ZoneOffset.UTC));
        }
        if (row.times().endedAt() != null) {
            view.endedAt(row.times().endedAt().atOffset(ZoneOffset.UTC));
        }
        if (row.endedReason() != null) {
            view.endedReason(SessionEndedReason.fromValue(row.endedReason()));
        }
        return view.message(row.message());
    }

    private Command command(SessionStore.CommandRow row) {
        Command view;
        try {
            view = row.result() != null ? mapper.readValue(row.result(), Command.class)
                    : new Command(row.id(), row.sessionId(), CommandStatus.fromValue(row.status()), row.createdAt().atOffset(ZoneOffset.UTC));
            view.status(CommandStatus.fromValue(row.status())).argv(mapper.readValue(row.argv(), new TypeReference<List<String>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("command " + row.id() + " is stored unreadably", e);
        }
        if (row.finishedAt() != null) {
            view.finishedAt(row.finishedAt().atOffset(ZoneOffset.UTC));
        }
        if (row.status().equals("lost") && view.getMessage() == null) {
            view.message("its end never came from its executor: the session ended while it ran, or the executor was lost");
        }
        return view;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }
}
