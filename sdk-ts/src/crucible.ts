import {
    CommandFromJSON,
    CommandOutputChunkFromJSON,
    CommandStatus,
    Configuration,
    FetchError,
    Judge0Api,
    KeysApi,
    PistonApi,
    RuntimesApi,
    SessionStatus,
    SessionsApi,
    SubmissionStatus,
    SubmissionsApi,
    SystemApi,
} from "./generated/index.js";
import type {
    ApiResponse,
    Command,
    CommandOutputChunk,
    CommandRequest,
    DownloadSessionFileRequest,
    FetchAPI,
    FileEntry,
    FileListing,
    Middleware,
    Problem,
    RequestOpts,
    Session,
    SessionRequest,
    Submission,
    SubmissionRequest,
    UploadSessionFileRequest,
} from "./generated/index.js";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_INTERVAL_MS = 250;
// The polls back off to this; a run's result is then seen at most this late.
const MAX_POLL_INTERVAL_MS = 2_000;
// So that an error page (nginx's HTML, say) names what it is without filling a log.
const MAX_BODY_IN_MESSAGE = 200;

export interface CrucibleOptions {
    /** The server's origin, e.g. `https://127.0.0.1:8443` (without `/v1`). */
    readonly baseUrl: string;
    /** An API key; it is sent as `Authorization: Bearer <key>`. */
    readonly key: string;
    /** A fetch to use instead of the global one (a proxy's, a test's). */
    readonly fetch?: FetchAPI;
    /**
     * How long any one request of the generated APIs may take when the call passes no `signal`
     * of its own (default 60 000 ms). `run()` has its own deadline instead.
     */
    readonly requestTimeoutMs?: number;
}

/** How long a call that waits for the server may take, and how it reads again meanwhile. */
export interface WaitOptions {
    /**
     * How long the call may take in all (default 60 000 ms); for `run()`, the queueing and the run
     * included. Past it the call rejects with a `CrucibleError` of status 0 carrying what it waited
     * for as last read (`submission`, `session` or `command`), which goes on on the server (a
     * submission may be cancelled with `submissions.cancelSubmission`).
     */
    readonly timeoutMs?: number;
    /** The first wait between two reads of what has not ended (default 250 ms); each wait doubles, up to 2 s. */
    readonly pollIntervalMs?: number;
    /** Ends the call (not what it started on the server) when aborted; the call then rejects with the signal's reason. */
    readonly signal?: AbortSignal;
}

export interface RunOptions extends WaitOptions {
    /** Sent as `Idempotency-Key`: a `run()` repeated with the same key and request runs nothing again. */
    readonly idempotencyKey?: string;
}

/** A session's settings (as `POST /v1/sessions` takes them, the runtime apart) and the wait for it to be ready. */
export interface SessionOptions extends Omit<SessionRequest, "runtime">, WaitOptions {}

export interface CommandOptions extends WaitOptions {
    /**
     * Each piece of the command's live output, as the session's event stream brings it. The returned
     * command is the record: the live output is capped, and a stream that broke and was connected
     * again may have missed some.
     */
    readonly onOutput?: (chunk: CommandOutputChunk) => void;
}

/**
 * An error answer of the server (`status` and, for an RFC 9457 answer, its `problem`), or no
 * answer at all (`status` 0): the network failed, a call's deadline passed first, or a session did
 * not start.
 */
export class CrucibleError extends Error {
    override readonly name = "CrucibleError";
    /** The HTTP status of the answer; 0 when there was none. */
    readonly status: number;
    /** The answer's problem details (`type`, `title`, `detail`, `code`...), when it was `application/problem+json`. */
    readonly problem: Problem | undefined;
    /** `Retry-After` of a 429 or 503, in ms. */
    readonly retryAfterMs: number | undefined;
    /** For a `run()` past its deadline: the submission as last read, not final; absent when the submission's answer never came. */
    readonly submission: Submission | undefined;
    /** For an `openSession()` that failed: the session as last read, `ended` (`ended_reason`, `message`) or still `starting`. */
    readonly session: Session | undefined;
    /** For a session's `run()` past its deadline: the command as last read, still running. */
    readonly command: Command | undefined;

    constructor(
        message: string,
        details: {
            status: number;
            problem?: Problem | undefined;
            retryAfterMs?: number | undefined;
            submission?: Submission | undefined;
            session?: Session | undefined;
            command?: Command | undefined;
            cause?: unknown;
        },
    ) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.status = details.status;
        this.problem = details.problem;
        this.retryAfterMs = details.retryAfterMs;
        this.submission = details.submission;
        this.session = details.session;
        this.command = details.command;
    }

    /** The error of an answer that is not 2xx; reads its body. */
    static async fromResponse(response: Response): Promise<CrucibleError> {
        const text = await response.text().catch(() => "");
        const problem = parseProblem(response.headers.get("Content-Type"), text);
        const retryAfterMs = parseRetryAfter(response.headers.get("Retry-After"));
        const message = problem
            ? `${response.status} ${problem.title}: ${problem.detail}`
            : `HTTP ${response.status}${text ? `: ${text.slice(0, MAX_BODY_IN_MESSAGE)}` : ""}`;
        return new CrucibleError(message, { status: response.status, problem, retryAfterMs });
    }
}

/**
 * The Crucible API: `run()` for the common case, the generated APIs for everything else. Every
 * answer that is not 2xx, from either, rejects with a `CrucibleError`.
 */
export class Crucible {
    readonly configuration: Configuration;
    readonly submissions: SubmissionsApi;
    readonly sessions: SessionsApi;
    readonly runtimes: RuntimesApi;
    readonly keys: KeysApi;
    readonly system: SystemApi;
    readonly piston: PistonApi;
    readonly judge0: Judge0Api;

    constructor(options: CrucibleOptions) {
        if (!options.baseUrl) throw new TypeError("Crucible: baseUrl is required");
        if (!options.key) throw new TypeError("Crucible: key is required");
        const requestTimeoutMs = positive(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs");
        this.configuration = new Configuration({
            // The generated paths start with /v1/...: a base ending in / would double it.
            basePath: options.baseUrl.replace(/\/+$/, ""),
            accessToken: options.key,
            fetchApi: options.fetch,
            middleware: [withTimeout(requestTimeoutMs), errorsAsCrucibleErrors],
        });
        this.submissions = new SubmissionsApi(this.configuration);
        this.sessions = new SessionsApiBySegments(this.configuration);
        this.runtimes = new RuntimesApi(this.configuration);
        this.keys = new KeysApi(this.configuration);
        this.system = new SystemApi(this.configuration);
        this.piston = new PistonApi(this.configuration);
        this.judge0 = new Judge0Api(this.configuration);
    }

    /**
     * Submits `request` with `wait=true` and returns the final submission (`completed` or
     * `cancelled`). When the server answers before the end (202, as past its longest wait), reads
     * the submission again, waiting longer each time, until it is final or `timeoutMs` passes.
     * A 429 or 503 while reading is waited out (its `Retry-After`) within the deadline; any other
     * error answer rejects at once.
     */
    async run(request: SubmissionRequest, options: RunOptions = {}): Promise<Submission> {
        let last: Submission | undefined;
        return within(this, options, async ({ signal, interval }) => {
            last = await value(this.submissions.createSubmissionRaw({
                submissionRequest: request,
                wait: true,
                idempotencyKey: options.idempotencyKey,
            }, { signal }));
            const id = last.id;
            return poll(last, isFinal, async () => (last = await value(this.submissions.getSubmissionRaw({ id }, { signal }))),
                interval, signal);
        }, (timeoutMs) => new CrucibleError(last
            ? `submission ${last.id} was not final within ${timeoutMs} ms (status ${last.status})`
            : `no answer to the submission within ${timeoutMs} ms`, {
            status: 0,
            submission: last,
        }));
    }

    /**
     * Opens a session of `runtime` (`POST /v1/sessions`, with the limits, idle timeout, lifetime and
     * first files of `options`) and returns it once it is ready: a start the server answered
     * `starting` is read again, waiting longer each time, within `timeoutMs`. A start that failed
     * (`ended`) rejects with a `CrucibleError` whose `session` says why (`ended_reason`, `message`);
     * one not ready in time is ended, then rejects. `close()` ends the session.
     */
    async openSession(runtime: string, options: SessionOptions = {}): Promise<CrucibleSession> {
        const { timeoutMs, pollIntervalMs, signal, ...settings } = options;
        let last: Session | undefined;
        try {
            return await within(this, { timeoutMs, pollIntervalMs, signal }, async ({ signal, interval }) => {
                last = await value(this.sessions.createSessionRaw({ sessionRequest: { ...settings, runtime } }, { signal }));
                const id = last.id;
                last = await poll(last, (s) => s.status !== SessionStatus.Starting,
                    async () => (last = await value(this.sessions.getSessionRaw({ id }, { signal }))), interval, signal);
                if (last.status === SessionStatus.Ended) {
                    throw new CrucibleError(`session ${id} did not start: ${last.ended_reason}${last.message ? `: ${last.message}` : ""}`,
                        { status: 0, session: last });
                }
                return new CrucibleSession(this, id);
            }, (timeoutMs) => new CrucibleError(last
                ? `session ${last.id} was not ready within ${timeoutMs} ms (status ${last.status})`
                : `no answer to the start of a session within ${timeoutMs} ms`, { status: 0, session: last }));
        } catch (e) {
            // No handle to it is returned: left, it would count against the key until its idle timeout.
            if (last?.status === SessionStatus.Starting) await this.sessions.endSession({ id: last.id }).catch(() => undefined);
            throw e;
        }
    }
}

/**
 * One open session (`Crucible.openSession()`): a sandbox whose `/workspace` lives across its
 * commands, until `close()` ends it (or its idle timeout or lifetime does). Every answer that is not
 * 2xx rejects with a `CrucibleError`; the server's problem names the session and its status (409
 * `session_not_ready` once it has ended). Calls that do not wait take `requestTimeoutMs`.
 */
export class CrucibleSession {
    /** A handle to the session `id`: one `openSession()` opened, or one opened before. */
    constructor(private readonly crucible: Crucible, readonly id: string) {}

    /** The session as it is now: its status, `expires_at`, and once ended why. */
    get(): Promise<Session> {
        return this.crucible.sessions.getSession({ id: this.id });
    }

    /**
     * Runs a command, `argv` (run without a shell: `["sh", "-c", "..."]` for one) or a whole
     * request, to its end (`finished`, or `lost` when the session ended first). Posts it with
     * `wait=true` and, when the server's longest wait passes first (202, running), reads it again,
     * waiting longer each time, until it ends. With `onOutput` it is posted without waiting and
     * followed on the session's event stream instead, which is connected again from where it got
     * when it ends or breaks. All within `timeoutMs`; the command goes on until its own `timeout_ms`.
     */
    async run(command: readonly string[] | CommandRequest, options: CommandOptions = {}): Promise<Command> {
        const request: CommandRequest = isArgv(command) ? { argv: [...command] } : command;
        const { onOutput } = options;
        let last: Command | undefined;
        return within(this.crucible, options, async ({ signal, interval }) => {
            const post = async (wait: boolean) => (last = await value(this.crucible.sessions.runSessionCommandRaw(
                { id: this.id, commandRequest: request, wait }, { signal })));
            const read = async (id: string) => (last = await value(this.crucible.sessions.getSessionCommandRaw(
                { id: this.id, command: id }, { signal })));
            if (onOutput) return this.follow(() => post(false), read, onOutput, interval, signal);
            const started = await post(true);
            return poll(started, ended, () => read(started.id), interval, signal);
        }, (timeoutMs) => new CrucibleError(last
            ? `command ${last.id} of session ${this.id} was still running after ${timeoutMs} ms`
            : `no answer to a command of session ${this.id} within ${timeoutMs} ms`, { status: 0, command: last }));
    }

    /** Runs `source`, a program in the session's runtime, to its end: `run()`. */
    runSource(source: string, options: CommandOptions = {}): Promise<Command> {
        return this.run({ source }, options);
    }

    /** Writes `content` (at most 1 MiB; a string as UTF-8) to `path`, relative to `/workspace`; missing folders are made. */
    writeFile(path: string, content: Uint8Array | string): Promise<FileEntry> {
        // A copy, as Blob takes no view that may be of a SharedArrayBuffer.
        const bytes = typeof content === "string" ? content : new Uint8Array(content);
        return this.crucible.sessions.uploadSessionFile({ id: this.id, path, body: new Blob([bytes]) });
    }

    /** The bytes of the regular file at `path` (at most 1 MiB), relative to `/workspace`. */
    async readFile(path: string): Promise<Uint8Array> {
        const file = await this.crucible.sessions.downloadSessionFile({ id: this.id, path });
        return new Uint8Array(await file.arrayBuffer());
    }

    /** The entries (at most 1000, by name) of the folder `dir`, relative to `/workspace`; the workspace itself by default. */
    listFiles(dir = ""): Promise<FileListing> {
        return this.crucible.sessions.listSessionFiles({ id: this.id, dir: dir || undefined });
    }

    /** Pushes the idle deadline back by the session's `idle_timeout_s`; the session returned has the new `expires_at`. */
    keepAlive(): Promise<Session> {
        return this.crucible.sessions.keepSessionAlive({ id: this.id });
    }

    /** Ends the session: everything in it is killed and nothing of it is kept. Ending an ended session changes nothing. */
    close(): Promise<Session> {
        return this.crucible.sessions.endSession({ id: this.id });
    }

    /**
     * Follows the session's event stream until the command that `post` starts ends, handing over its
     * live output. It is posted once the stream is open (its first event): a stream opened after a
     * quick command ended shows none of its output.
     */
    private async follow(post: () => Promise<Command>, read: (id: string) => Promise<Command>,
                         onOutput: (chunk: CommandOutputChunk) => void, interval: number, signal: AbortSignal): Promise<Command> {
        const position: { lastEventId?: string } = {};
        let id: string | undefined;
        let wait = interval;
        for (;;) {
            try {
                const resumeFrom: Record<string, string> = position.lastEventId === undefined ? {} : { "Last-Event-ID": position.lastEventId };
                const stream = await this.crucible.sessions.streamSessionEventsRaw({ id: this.id }, async ({ init }) => ({
                    signal,
                    headers: { ...init.headers, Accept: "text/event-stream", ...resumeFrom },
                }));
                for await (const event of serverSentEvents(stream.raw.body, position, signal)) {
                    wait = interval;
                    switch (event.type) {
                        case "session": {
                            if (id === undefined) {
                                const started = await post();
                                id = started.id;
                                if (ended(started)) return started;
                                break;
                            }
                            // First on every connection, and again when the session ends: a command that
                            // ended before this connection saw it is in no later event, so it is read.
                            const now = await read(id);
                            if (ended(now)) return now;
                            break;
                        }
                        case "command": {
                            const now = CommandFromJSON(JSON.parse(event.data));
                            if (now.id === id && ended(now)) return now;
                            break;
                        }
                        case "output": {
                            const chunk = CommandOutputChunkFromJSON(JSON.parse(event.data));
                            if (id !== undefined && chunk.command === id) onOutput(chunk);
                            break;
                        }
                        default: // events of later versions
                    }
                }
            } catch (e) {
                if (signal.aborted || !transient(e)) throw e;
            }
            await delay(wait, signal);
            wait = Math.min(wait * 2, MAX_POLL_INTERVAL_MS);
        }
    }
}

/**
 * The generated sessions API, but a file's path goes as its segments, each encoded, joined by '/' as
 * it is (`a%20b/c.txt`): a proxy on the way may refuse the encoded slash the generated client sends.
 */
class SessionsApiBySegments extends SessionsApi {
    override async uploadSessionFileRequestOpts(parameters: UploadSessionFileRequest): Promise<RequestOpts> {
        return { ...await super.uploadSessionFileRequestOpts(parameters), path: filePath(parameters) };
    }

    override async downloadSessionFileRequestOpts(parameters: DownloadSessionFileRequest): Promise<RequestOpts> {
        return { ...await super.downloadSessionFileRequestOpts(parameters), path: filePath(parameters) };
    }
}

function filePath({ id, path }: { id: string; path: string }): string {
    return `/v1/sessions/${encodeURIComponent(id)}/files/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function isArgv(command: readonly string[] | CommandRequest): command is readonly string[] {
    return Array.isArray(command);
}

function ended(command: Command): boolean {
    return command.status !== CommandStatus.Running;
}

/**
 * The events of a `text/event-stream` body, as the WHATWG HTML standard reads one: comments
 * skipped, `data` lines joined by LF, the last `id` kept in `position` for a reconnect, an event cut
 * off by the end dropped. A stream that breaks ends as one that ended: either is connected again.
 */
async function* serverSentEvents(body: ReadableStream<Uint8Array> | null, position: { lastEventId?: string }, signal: AbortSignal):
    AsyncGenerator<{ type: string; data: string }> {
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let type = "";
    let data: string[] = [];
    try {
        for (;;) {
            let read: ReadableStreamReadResult<Uint8Array>;
            try {
                read = await reader.read();
            } catch (e) {
                if (signal.aborted) throw e;
                return;
            }
            if (read.done) return;
            buffer += decoder.decode(read.value, { stream: true });
            for (let end = buffer.search(/[\r\n]/); end >= 0; end = buffer.search(/[\r\n]/)) {
                // A CR that ends what came so far may be the first half of a CRLF.
                if (buffer[end] === "\r" && end === buffer.length - 1) break;
                const line = buffer.slice(0, end);
                buffer = buffer.slice(buffer.startsWith("\r\n", end) ? end + 2 : end + 1);
                if (line === "") {
                    if (data.length > 0) yield { type: type || "message", data: data.join("\n") };
                    type = "";
                    data = [];
                } else if (!line.startsWith(":")) {
                    const colon = line.indexOf(":");
                    const field = colon < 0 ? line : line.slice(0, colon);
                    const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
                    if (field === "event") type = text;
                    else if (field === "data") data.push(text);
                    else if (field === "id" && !text.includes("\0")) position.lastEventId = text;
                }
            }
        }
    } finally {
        // Closes the connection; not awaited, as Node's fetch never settles it for a body that came whole.
        reader.cancel().catch(() => undefined);
    }
}

/**
 * Runs `work` under one signal that ends whatever is under way, a request or a wait, at `timeoutMs`
 * or the caller's abort: past the deadline it rejects with `late`'s error, on the caller's abort with
 * its reason, and with no answer at all as a `CrucibleError` of status 0.
 */
async function within<T>(crucible: Crucible, options: WaitOptions, work: (wait: { signal: AbortSignal; interval: number }) => Promise<T>,
                         late: (timeoutMs: number) => CrucibleError): Promise<T> {
    const timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "timeoutMs");
    const interval = positive(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, "pollIntervalMs");
    options.signal?.throwIfAborted();
    const deadline = new Error("deadline");
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(deadline), timeoutMs);
    const onAbort = () => abort.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
        return await work({ signal: abort.signal, interval });
    } catch (e) {
        if (abort.signal.aborted && abort.signal.reason === deadline) throw late(timeoutMs);
        if (abort.signal.aborted) throw abort.signal.reason;
        if (e instanceof FetchError) {
            throw new CrucibleError(`no answer from ${crucible.configuration.basePath}: ${describe(e.cause)}`, { status: 0, cause: e.cause });
        }
        throw e;
    } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
    }
}

/**
 * Reads again, first `interval` ms after `first` and doubling up to 2 s, until `done`. A read that
 * met something passing (a busy or restarting server, a proxy between, the network for a moment) is
 * waited out (its `Retry-After`) and tried again: what is read about goes on whatever a read met.
 * Anything else (401, 404) is an answer, and rejects.
 */
async function poll<T>(first: T, done: (value: T) => boolean, read: () => Promise<T>, interval: number, signal: AbortSignal): Promise<T> {
    let last = first;
    let wait = interval;
    while (!done(last)) {
        await delay(wait, signal);
        try {
            last = await read();
            interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
            wait = interval;
        } catch (e) {
            if (signal.aborted || !transient(e)) throw e;
            wait = Math.max(e instanceof CrucibleError ? e.retryAfterMs ?? 0 : 0, interval);
        }
    }
    return last;
}

function isFinal(submission: Submission): boolean {
    return submission.status === SubmissionStatus.Completed || submission.status === SubmissionStatus.Cancelled;
}

async function value<T>(answer: Promise<ApiResponse<T>>): Promise<T> {
    return (await answer).value();
}

// Thrown from `post`, the error leaves the generated call as is: every API raises the same one.
const errorsAsCrucibleErrors: Middleware = {
    async post({ response }) {
        if (!response.ok) throw await CrucibleError.fromResponse(response);
        return response;
    },
};

function withTimeout(timeoutMs: number): Middleware {
    return {
        async pre({ url, init }) {
            return init.signal ? { url, init } : { url, init: { ...init, signal: AbortSignal.timeout(timeoutMs) } };
        },
    };
}

// Node's fetch says "fetch failed" and keeps the reason (a refused connection, an untrusted
// certificate) in its cause.
function describe(error: unknown): string {
    const parts: string[] = [];
    for (let e = error; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
    return parts.join(": ") || String(error);
}

function parseProblem(contentType: string | null, text: string): Problem | undefined {
    if (!contentType || !/^application\/problem\+json\b/i.test(contentType.trim())) return undefined;
    try {
        const body: unknown = JSON.parse(text);
        // Kept whole: RFC 9457 lets a problem carry members of its own (`errors` here).
        if (body && typeof body === "object" && typeof (body as Problem).title === "string") return body as Problem;
    } catch {
        // Not JSON after all: the message shows the text.
    }
    return undefined;
}

function parseRetryAfter(header: string | null): number | undefined {
    if (!header) return undefined;
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal.addEventListener("abort", onAbort, { once: true });
    });
}

function positive(ms: number, name: string): number {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`Crucible: ${name} must be a positive number of ms, not ${ms}`);
    return ms;
}

/** A failure of one read that the next may not meet, as the Java SDK counts them. */
function transient(e: unknown): boolean {
    if (e instanceof FetchError) return true;
    return e instanceof CrucibleError && [0, 429, 502, 503, 504].includes(e.status);
}
