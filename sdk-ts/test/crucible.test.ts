// Crucible.run(), sessions and their errors against a small HTTP server on a loopback port and
// against a fake fetch. They import the package by its name: what runs is dist/, through the exports map.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Crucible, CrucibleError } from "@crucible/sdk";
import type { CommandOutputChunk, FetchAPI } from "@crucible/sdk";

const KEY = "cru_test-key";
const ID = "0b8f1f55-7a8c-4c2e-9c55-3d3f0b1f7d10";

interface Seen {
    method: string;
    url: string;
    authorization: string | undefined;
    headers: IncomingHttpHeaders;
    body: string;
}

function submission(status: string, extra: Record<string, unknown> = {}) {
    return { id: ID, status, runtime: "python", created_at: "2026-12-01T10:00:00Z", ...extra };
}

function json(status: number, body: unknown, contentType = "application/json", headers: Record<string, string> = {}): Answer {
    return { status, body: JSON.stringify(body), headers: { "Content-Type": contentType, ...headers } };
}

interface Answer {
    status: number;
    body: string | Uint8Array<ArrayBuffer>;
    headers: Record<string, string>;
}
/** Never answered: the server holds the request, as a wait=true POST does while the run goes on. */
const HOLD = null;

/** A server answering each request with the next of `answers`, recording what it was asked. */
class FakeCrucible {
    readonly seen: Seen[] = [];
    private answers: (Answer | typeof HOLD)[] = [];
    private server: Server | undefined;

    answer(...answers: (Answer | typeof HOLD)[]) {
        this.seen.length = 0;
        this.answers = answers;
    }

    async start(): Promise<string> {
        this.server = createServer((request: IncomingMessage, response: ServerResponse) => {
            const chunks: Buffer[] = [];
            request.on("data", (chunk: Buffer) => chunks.push(chunk));
            request.on("end", () => {
                this.seen.push({
                    method: request.method ?? "",
                    url: request.url ?? "",
                    authorization: request.headers.authorization,
                    headers: request.headers,
                    body: Buffer.concat(chunks).toString("utf8"),
                });
                const next = this.answers.length ? this.answers.shift() : json(500, { unexpected: `${request.method} ${request.url}` });
                if (next === HOLD || next === undefined) return;
                response.writeHead(next.status, next.headers).end(next.body);
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    }

    async stop() {
        this.server?.closeAllConnections();
        await new Promise((resolve) => this.server?.close(resolve));
    }
}

/** A fetch answering with the next of `answers` without any network; counts the calls. */
function fakeFetch(...answers: Answer[]): FetchAPI & { calls: string[] } {
    const calls: string[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push(`${init?.method ?? "GET"} ${String(input)}`);
        const next = answers.shift();
        if (!next) throw new Error(`unexpected ${init?.method} ${String(input)}`);
        return new Response(next.body, { status: next.status, headers: next.headers });
    };
    return Object.assign(fetch, { calls });
}

describe("run() against a server", () => {
    const server = new FakeCrucible();
    let crucible: Crucible;

    before(async () => {
        crucible = new Crucible({ baseUrl: await server.start(), key: KEY });
    });
    after(() => server.stop());

    test("a 202 is polled until the submission is final, and the final one is returned", async () => {
        server.answer(
            json(202, submission("queued")),
            json(200, submission("running")),
            json(200, submission("completed", { verdict: "accepted", stdout: "hello\n", wall_time_ms: 12 })),
        );

        const done = await crucible.run({ runtime: "python", source: 'print("hello")' }, { timeoutMs: 10_000, pollIntervalMs: 1 });

        assert.equal(done.status, "completed");
        assert.equal(done.verdict, "accepted");
        assert.equal(done.stdout, "hello\n");
        assert.equal(done.wall_time_ms, 12);
        assert.deepEqual(server.seen.map((s) => `${s.method} ${s.url}`), [
            "POST /v1/submissions?wait=true",
            `GET /v1/submissions/${ID}`,
            `GET /v1/submissions/${ID}`,
        ]);
        assert.ok(server.seen.every((s) => s.authorization === `Bearer ${KEY}`));
        assert.deepEqual(JSON.parse(server.seen[0]!.body), { runtime: "python", source: 'print("hello")' });
    });

    test("a 422 problem rejects with a CrucibleError carrying the status and the problem", async () => {
        const problem = {
            type: "urn:crucible:problem:invalid_request",
            title: "Invalid request",
            status: 422,
            code: "invalid_request",
            detail: "limits.wall_time_ms must be at most 10000",
            errors: [{ field: "limits.wall_time_ms", message: "must be at most 10000" }],
        };
        server.answer(json(422, problem, "application/problem+json"));

        const refused = await crucible.run({ runtime: "python", source: "print(1)", limits: { wall_time_ms: 99_999 } })
            .then(() => assert.fail("run() resolved"), (e: unknown) => e);

        assert.ok(refused instanceof CrucibleError, String(refused));
        assert.equal(refused.status, 422);
        assert.equal(refused.problem?.type, problem.type);
        assert.equal(refused.problem?.title, problem.title);
        assert.equal(refused.problem?.detail, problem.detail);
        assert.equal(refused.problem?.code, "invalid_request");
        assert.deepEqual(refused.problem?.errors, problem.errors);
        assert.match(refused.message, /limits\.wall_time_ms must be at most 10000/);
        assert.equal(server.seen.length, 1, "an error answer is not retried");
    });

    test("a POST unanswered by the deadline is given up, with no submission to show", async () => {
        server.answer(HOLD);

        const late = await crucible.run({ runtime: "python", source: "print(1)" }, { timeoutMs: 50 })
            .then(() => assert.fail("run() resolved"), (e: unknown) => e);

        assert.ok(late instanceof CrucibleError, String(late));
        assert.equal(late.status, 0);
        assert.equal(late.submission, undefined);
        assert.match(late.message, /no answer to the submission within 50 ms/);
    });
});

describe("run() with a fetch of its own", () => {
    const baseUrl = "https://crucible.test";

    test("a final 200 is returned without reading the submission again", async () => {
        const fetch = fakeFetch(json(200, submission("completed", { verdict: "wrong_answer" })));

        const done = await new Crucible({ baseUrl, key: KEY, fetch }).run({ runtime: "python", source: "print(2)" });

        assert.equal(done.verdict, "wrong_answer");
        assert.deepEqual(fetch.calls, [`POST ${baseUrl}/v1/submissions?wait=true`]);
    });

    test("a cancelled submission is final too", async () => {
        const fetch = fakeFetch(json(202, submission("running")), json(200, submission("cancelled")));

        const done = await new Crucible({ baseUrl, key: KEY, fetch }).run({ runtime: "python", source: "1" }, { pollIntervalMs: 1 });

        assert.equal(done.status, "cancelled");
        assert.equal(fetch.calls.length, 2);
    });

    test("a 503 while polling is waited out and the submission read again", async () => {
        const busy = { type: "urn:crucible:problem:service_unavailable", title: "Service unavailable", status: 503,
            code: "service_unavailable", detail: "try again" };
        const fetch = fakeFetch(
            json(202, submission("queued")),
            json(503, busy, "application/problem+json", { "Retry-After": "0" }),
            json(200, submission("completed", { verdict: "accepted" })),
        );

        const done = await new Crucible({ baseUrl, key: KEY, fetch }).run({ runtime: "python", source: "1" }, { pollIntervalMs: 1 });

        assert.equal(done.verdict, "accepted");
        assert.equal(fetch.calls.length, 3);
    });

    test("a proxy's 502 while polling is waited out as the Java SDK does", async () => {
        const fetch = fakeFetch(
            json(202, submission("queued")),
            json(502, "bad gateway", "text/plain"),
            json(200, submission("completed", { verdict: "accepted" })),
        );

        const done = await new Crucible({ baseUrl, key: KEY, fetch }).run({ runtime: "python", source: "1" }, { pollIntervalMs: 1 });

        assert.equal(done.verdict, "accepted");
        assert.equal(fetch.calls.length, 3);
    });

    test("past the deadline it rejects with status 0 and the submission as last read", async () => {
        const answers = Array.from({ length: 1000 }, () => json(200, submission("running")));
        const fetch = fakeFetch(json(202, submission("queued")), ...answers);

        const late = await new Crucible({ baseUrl, key: KEY, fetch })
            .run({ runtime: "python", source: "while True: pass" }, { timeoutMs: 50, pollIntervalMs: 1 })
            .then(() => assert.fail("run() resolved"), (e: unknown) => e);

        assert.ok(late instanceof CrucibleError, String(late));
        assert.equal(late.status, 0);
        assert.equal(late.submission?.id, ID);
        assert.equal(late.submission?.status, "running");
        assert.match(late.message, /not final within 50 ms/);
    });

    test("an answer that is no problem still rejects with its status and text", async () => {
        const fetch = fakeFetch({ status: 502, body: "<html>Bad Gateway</html>", headers: { "Content-Type": "text/html" } });

        const failed = await new Crucible({ baseUrl, key: KEY, fetch }).run({ runtime: "python", source: "1" })
            .then(() => assert.fail("run() resolved"), (e: unknown) => e);

        assert.ok(failed instanceof CrucibleError, String(failed));
        assert.equal(failed.status, 502);
        assert.equal(failed.problem, undefined);
        assert.match(failed.message, /Bad Gateway/);
    });

    test("no answer at all rejects with status 0 and the network's reason", async () => {
        const refused = new Error("connect ECONNREFUSED 127.0.0.1:9");
        const fetch: FetchAPI = async () => {
            throw new TypeError("fetch failed", { cause: refused });
        };

        const failed = await new Crucible({ baseUrl, key: KEY, fetch }).run({ runtime: "python", source: "1" })
            .then(() => assert.fail("run() resolved"), (e: unknown) => e);

        assert.ok(failed instanceof CrucibleError, String(failed));
        assert.equal(failed.status, 0);
        assert.match(failed.message, /fetch failed: connect ECONNREFUSED/);
    });

    test("aborting the caller's signal rejects with its reason", async () => {
        const fetch = fakeFetch(json(202, submission("queued")), json(200, submission("running")));
        const stop = new AbortController();
        const reason = new Error("the caller gave up");

        // A wait of a minute before the poll: only the abort can end run() within the test's time.
        const run = new Crucible({ baseUrl, key: KEY, fetch })
            .run({ runtime: "python", source: "1" }, { pollIntervalMs: 60_000, timeoutMs: 120_000, signal: stop.signal });
        stop.abort(reason);

        await assert.rejects(run, (e: unknown) => e === reason);
    });

    test("the generated APIs reject with a CrucibleError too", async () => {
        const unauthorized = { type: "urn:crucible:problem:unauthorized", title: "Unauthorized", status: 401,
            code: "unauthorized", detail: "the API key is not valid" };
        const fetch = fakeFetch(json(401, unauthorized, "application/problem+json"));

        await assert.rejects(new Crucible({ baseUrl, key: "cru_wrong", fetch }).runtimes.listRuntimes(),
            (e: unknown) => e instanceof CrucibleError && e.status === 401 && e.problem?.detail === unauthorized.detail);
    });
});

const SESSION_ID = "6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7";
const COMMAND_ID = "0b9e8d7c-6b5a-4948-8372-6150a4b3c2d1";
const SESSION = `/v1/sessions/${SESSION_ID}`;

function session(status: string, extra: Record<string, unknown> = {}) {
    return {
        id: SESSION_ID, status, runtime: "python", limits: { memory_mb: 256, command_wall_time_ms: 30_000 },
        idle_timeout_s: 300, max_lifetime_s: 1800, created_at: "2026-12-01T10:00:00Z", expires_at: "2026-12-01T10:05:00Z", ...extra,
    };
}

function command(status: string, extra: Record<string, unknown> = {}) {
    return { id: COMMAND_ID, session_id: SESSION_ID, status, created_at: "2026-12-01T10:00:01Z", ...extra };
}

/** A `text/event-stream` answer of these events, each `[type, data]`, numbered from 1; then its end. */
function events(...list: [string, unknown][]): Answer {
    const body = list.map(([type, data], i) => `event: ${type}\nid: ${i + 1}\ndata: ${JSON.stringify(data)}\n\n`).join("");
    return { status: 200, body, headers: { "Content-Type": "text/event-stream" } };
}

/** A file's raw bytes, as a session's download answers. */
function octets(body: Uint8Array<ArrayBuffer>): Answer {
    return { status: 200, body, headers: { "Content-Type": "application/octet-stream" } };
}

const FINISHED = command("finished", { verdict: "accepted", exit_code: 0, stdout: "1\n" });

describe("sessions against a server", () => {
    const server = new FakeCrucible();
    let crucible: Crucible;

    before(async () => {
        crucible = new Crucible({ baseUrl: await server.start(), key: KEY });
    });
    after(() => server.stop());

    /** A session the server answered ready at once; the answers after that are the test's. */
    async function opened(...answers: Answer[]) {
        server.answer(json(201, session("ready")), ...answers);
        const handle = await crucible.openSession("python");
        server.seen.shift();
        return handle;
    }

    const urls = () => server.seen.map((s) => `${s.method} ${s.url}`);

    test("openSession() waits until the session is ready", async () => {
        server.answer(json(201, session("starting")), json(200, session("starting")), json(200, session("ready")));

        const opened = await crucible.openSession("python", { pollIntervalMs: 1 });

        assert.equal(opened.id, SESSION_ID);
        assert.deepEqual(urls(), ["POST /v1/sessions", `GET ${SESSION}`, `GET ${SESSION}`]);
    });

    test("openSession() sends the runtime and the session's settings, not the wait's", async () => {
        server.answer(json(201, session("ready")));

        await crucible.openSession("python", { idle_timeout_s: 60, files: [{ path: "data.txt", content: "1 2 3\n" }], timeoutMs: 5_000 });

        assert.deepEqual(JSON.parse(server.seen[0]!.body),
            { runtime: "python", idle_timeout_s: 60, files: [{ path: "data.txt", content: "1 2 3\n" }] });
    });

    test("a start that failed rejects with the session's ended_reason and message", async () => {
        server.answer(json(201, session("starting")),
            json(200, session("ended", { ended_reason: "start_failed", message: "no executor had room within 30 s" })));

        const failed = await crucible.openSession("python", { pollIntervalMs: 1 }).then(() => assert.fail("openSession() resolved"), (e: unknown) => e);

        assert.ok(failed instanceof CrucibleError, String(failed));
        assert.equal(failed.session?.ended_reason, "start_failed");
        assert.equal(failed.message, `session ${SESSION_ID} did not start: start_failed: no executor had room within 30 s`);
    });

    test("run() posts the command with wait=true and returns it when it ended within the wait", async () => {
        const handle = await opened(json(200, FINISHED));

        const done = await handle.run(["python3", "-c", "print(1)"]);

        assert.equal(done.stdout, "1\n");
        assert.deepEqual(urls(), [`POST ${SESSION}/commands?wait=true`]);
        assert.deepEqual(JSON.parse(server.seen[0]!.body), { argv: ["python3", "-c", "print(1)"] });
    });

    test("run() reads a command still running until it ends", async () => {
        const handle = await opened(json(202, command("running")), json(200, command("running")), json(200, FINISHED));

        const done = await handle.run(["python3", "-c", "print(1)"], { pollIntervalMs: 1 });

        assert.equal(done.status, "finished");
        assert.deepEqual(urls().slice(1), [`GET ${SESSION}/commands/${COMMAND_ID}`, `GET ${SESSION}/commands/${COMMAND_ID}`]);
    });

    test("runSource() sends the program as source", async () => {
        const handle = await opened(json(200, FINISHED));

        await handle.runSource("print(1)");

        assert.deepEqual(JSON.parse(server.seen[0]!.body), { source: "print(1)" });
    });

    test("live output of a command reaches onOutput", async () => {
        const mine = (text: string, extra = {}) => ({ command: COMMAND_ID, stream: "stdout", text, ...extra });
        const handle = await opened(
            events(["session", session("ready")], ["command", command("running")], ["output", mine("1\n")],
                ["output", { command: "11111111-2222-4333-8444-555555555555", stream: "stdout", text: "not mine" }],
                ["output", mine("!", { stream: "stderr", capped: true })], ["command", FINISHED]),
            json(202, command("running")),
        );
        const chunks: CommandOutputChunk[] = [];

        const done = await handle.run(["python3", "-c", "print(1)"], { onOutput: (chunk) => chunks.push(chunk) });

        assert.equal(done.status, "finished");
        assert.deepEqual(chunks, [mine("1\n", { capped: undefined }), mine("!", { stream: "stderr", capped: true })]);
        assert.equal(server.seen[0]!.headers.accept, "text/event-stream");
        assert.equal(server.seen[1]!.url, `${SESSION}/commands?wait=false`);
    });

    test("a watched command's stream that ends early is connected again from its last event", async () => {
        const handle = await opened(
            events(["session", session("ready")], ["command", command("running")]),
            json(202, command("running")),
            events(["session", session("ready")]),
            json(200, FINISHED),
        );

        const done = await handle.run(["true"], { onOutput: () => undefined, pollIntervalMs: 1 });

        assert.equal(done.status, "finished");
        assert.deepEqual(server.seen.filter((s) => s.url.endsWith("/events")).map((s) => s.headers["last-event-id"]), [undefined, "2"]);
    });

    test("a watched command that ended unseen is read at the next session event", async () => {
        const handle = await opened(events(["session", session("ready")], ["session", session("ready")]),
            json(202, command("running")), json(200, FINISHED));

        const done = await handle.run(["true"], { onOutput: () => undefined });

        assert.equal(done.status, "finished");
    });

    test("a watched command is posted only once its stream is open", async () => {
        const handle = await opened(events(["session", session("ready")]), json(200, FINISHED));

        await handle.run(["true"], { onOutput: () => undefined });

        assert.deepEqual(server.seen.map((s) => s.url.endsWith("/events") ? "events" : s.url), ["events", `${SESSION}/commands?wait=false`]);
    });

    test("file paths go as segments, each encoded", async () => {
        const written = { path: "a b/c+.txt", type: "file", size: 0 };
        const handle = await opened(json(200, written), octets(new Uint8Array()));

        await handle.writeFile("a b/c+.txt", "");
        await handle.readFile("a b/c+.txt");

        assert.deepEqual(urls(), [`PUT ${SESSION}/files/a%20b/c%2B.txt`, `GET ${SESSION}/files/a%20b/c%2B.txt`]);
    });

    test("writeFile() sends the content as the raw body", async () => {
        const handle = await opened(json(200, { path: "data.txt", type: "file", size: 5 }));

        const entry = await handle.writeFile("data.txt", new TextEncoder().encode("1 2 3"));

        assert.equal(entry.size, 5);
        assert.equal(server.seen[0]!.body, "1 2 3");
        assert.equal(server.seen[0]!.headers["content-type"], "application/octet-stream");
    });

    test("readFile() returns the file's bytes as they are", async () => {
        const notText = new Uint8Array([0, 0xff, 0xfe, 10]);
        const handle = await opened(octets(notText));

        assert.deepEqual(await handle.readFile("out/data.bin"), notText);
    });

    test("listFiles() of the workspace names no folder", async () => {
        const handle = await opened(json(200, { dir: "", entries: [{ path: "data.txt", type: "file", size: 6 }], truncated: false }));

        const listing = await handle.listFiles();

        assert.equal(listing.entries[0]?.path, "data.txt");
        assert.deepEqual(urls(), [`GET ${SESSION}/files`]);
    });

    test("keepAlive() returns the session with its new idle deadline", async () => {
        const handle = await opened(json(200, session("ready", { expires_at: "2026-12-01T10:09:00Z" })));

        const kept = await handle.keepAlive();

        assert.deepEqual(kept.expires_at, new Date("2026-12-01T10:09:00Z"));
    });

    test("a command in a session that ended rejects with the problem", async () => {
        const problem = { type: "urn:crucible:problem:session_not_ready", title: "Session not ready", status: 409,
            code: "session_not_ready", detail: `session ${SESSION_ID} is ended (idle_timeout)` };
        const handle = await opened(json(409, problem, "application/problem+json"));

        await assert.rejects(handle.run(["true"]),
            (e: unknown) => e instanceof CrucibleError && e.status === 409 && e.problem?.code === "session_not_ready");
    });

    test("close() ends the session", async () => {
        const handle = await opened(json(200, session("ended", { ended_reason: "deleted" })));

        const ended = await handle.close();

        assert.equal(ended.status, "ended");
        assert.deepEqual(urls(), [`DELETE ${SESSION}`]);
    });
});

describe("sessions with a fetch of their own", () => {
    test("a session not ready by the deadline is ended", async () => {
        const starting = Array.from({ length: 1000 }, () => json(200, session("starting")));
        const fetch = fakeFetch(json(201, session("starting")), ...starting);

        const late = await new Crucible({ baseUrl: "https://crucible.test", key: KEY, fetch })
            .openSession("python", { timeoutMs: 50, pollIntervalMs: 1 })
            .then(() => assert.fail("openSession() resolved"), (e: unknown) => e);

        assert.ok(late instanceof CrucibleError, String(late));
        assert.match(late.message, new RegExp(`session ${SESSION_ID} was not ready within 50 ms`));
        assert.equal(fetch.calls.at(-1), `DELETE https://crucible.test${SESSION}`);
    });
});
