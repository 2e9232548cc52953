// Crucible.run() and its errors against a small HTTP server on a loopback port and against a
// fake fetch. They import the package by its name: what runs is dist/, through the exports map.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Crucible, CrucibleError } from "@crucible/sdk";
import type { FetchAPI } from "@crucible/sdk";

const KEY = "cru_test-key";
const ID = "0b8f1f55-7a8c-4c2e-9c55-3d3f0b1f7d10";

interface Seen {
    method: string;
    url: string;
    authorization: string | undefined;
    body: string;
}

function submission(status: string, extra: Record<string, unknown> = {}) {
    return { id: ID, status, runtime: "python", created_at: "2026-12-01T10:00:00Z", ...extra };
}

function json(status: number, body: unknown, contentType = "application/json", headers: Record<string, string> = {}) {
    return { status, body: JSON.stringify(body), headers: { "Content-Type": contentType, ...headers } };
}

type Answer = ReturnType<typeof json>;
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
