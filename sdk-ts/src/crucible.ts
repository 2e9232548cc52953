import {
    Configuration,
    FetchError,
    Judge0Api,
    KeysApi,
    PistonApi,
    RuntimesApi,
    SubmissionStatus,
    SubmissionsApi,
    SystemApi,
} from "./generated/index.js";
import type { ApiResponse, FetchAPI, Middleware, Problem, Submission, SubmissionRequest } from "./generated/index.js";

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

export interface RunOptions {
    /**
     * How long `run()` may take in all, the queueing and the run included (default 60 000 ms).
     * Past it `run()` rejects with a `CrucibleError` of status 0 carrying the submission as last
     * read; the submission itself goes on (cancel it with `submissions.cancelSubmission`).
     */
    readonly timeoutMs?: number;
    /** The first wait between two reads of a submission that is not final (default 250 ms); each wait doubles, up to 2 s. */
    readonly pollIntervalMs?: number;
    /** Sent as `Idempotency-Key`: a `run()` repeated with the same key and request runs nothing again. */
    readonly idempotencyKey?: string;
    /** Ends the `run()` (not the submission) when aborted; `run()` then rejects with the signal's reason. */
    readonly signal?: AbortSignal;
}

/**
 * An error answer of the server (`status` and, for an RFC 9457 answer, its `problem`), or no
 * answer at all (`status` 0): the network failed, or `run()`'s deadline passed first.
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

    constructor(
        message: string,
        details: {
            status: number;
            problem?: Problem | undefined;
            retryAfterMs?: number | undefined;
            submission?: Submission | undefined;
            cause?: unknown;
        },
    ) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.status = details.status;
        this.problem = details.problem;
        this.retryAfterMs = details.retryAfterMs;
        this.submission = details.submission;
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
        const timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "timeoutMs");
        let interval = positive(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, "pollIntervalMs");
        options.signal?.throwIfAborted();
        // One signal ends whatever is under way, a request or a wait, at the deadline or the caller's abort.
        const deadline = new Error("deadline");
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(deadline), timeoutMs);
        const onAbort = () => abort.abort(options.signal?.reason);
        options.signal?.addEventListener("abort", onAbort, { once: true });
        const init = { signal: abort.signal };
        let last: Submission | undefined;
        try {
            last = await value(this.submissions.createSubmissionRaw({
                submissionRequest: request,
                wait: true,
                idempotencyKey: options.idempotencyKey,
            }, init));
            let wait = interval;
            while (!isFinal(last)) {
                await delay(wait, abort.signal);
                try {
                    last = await value(this.submissions.getSubmissionRaw({ id: last.id }, init));
                    interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
                    wait = interval;
                } catch (e) {
                    // The submission goes on whatever a read met: a busy or restarting server, a proxy
                    // between, the network for a moment. Anything else (401, 404) is an answer.
                    if (abort.signal.aborted || !transient(e)) throw e;
                    wait = Math.max(e instanceof CrucibleError ? e.retryAfterMs ?? 0 : 0, interval);
                }
            }
            return last;
        } catch (e) {
            if (abort.signal.aborted && abort.signal.reason === deadline) {
                throw new CrucibleError(last
                    ? `submission ${last.id} was not final within ${timeoutMs} ms (status ${last.status})`
                    : `no answer to the submission within ${timeoutMs} ms`, {
                    status: 0,
                    submission: last,
                });
            }
            if (abort.signal.aborted) throw abort.signal.reason;
            if (e instanceof FetchError) {
                throw new CrucibleError(`no answer from ${this.configuration.basePath}: ${describe(e.cause)}`, { status: 0, cause: e.cause });
            }
            throw e;
        } finally {
            clearTimeout(timer);
            options.signal?.removeEventListener("abort", onAbort);
        }
    }
}

function isFinal(submission: Submission): boolean {
    return submission.status === SubmissionStatus.Completed || submission.status === SubmissionStatus.Cancelled;
}

async function value(answer: Promise<ApiResponse<Submission>>): Promise<Submission> {
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
