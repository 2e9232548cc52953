// The TypeScript SDK in a browser: the ES modules of sdk-ts/dist, as Maven built them before these
// tests run, imported by Chromium on the page's origin under the page's own strict CSP, and its
// run() against the running stack. nginx sends no CORS headers, so a browser program uses the SDK
// from a page of the same origin; these tests serve dist/ there through Playwright's routing, which
// changes nothing about the page's headers. Settings as page.test.mjs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { settings, withPage } from './browser.mjs';

const DIST = fileURLToPath(new URL('../../sdk-ts/dist/', import.meta.url));
// A path nginx serves nothing at (it would answer the page's HTML): only the route below answers it.
const MOUNT = '/e2e-sdk-dist/';

/** Answers MOUNT/<path> with sdk-ts/dist/<path>, as a server would serve the built package. */
async function serveSdk(page, origin) {
  await page.route(`${origin}${MOUNT}**`, async (route) => {
    const file = normalize(join(DIST, decodeURIComponent(new URL(route.request().url()).pathname.slice(MOUNT.length))));
    if (!file.startsWith(DIST)) return route.fulfill({ status: 404 }); // normalize resolved any ..
    let body;
    try {
      body = await readFile(file);
    } catch {
      return route.fulfill({ status: 404 });
    }
    // A module script must come with a JavaScript type, or the browser refuses it.
    return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body });
  });
}

/** Fails, never skips, without the build: ./crucible test runs Maven's verify (which builds dist/) first. */
async function requireBuiltSdk() {
  await readFile(join(DIST, 'index.js')).catch((e) => {
    throw new Error(`sdk-ts/dist is not built (mvn -pl sdk-ts compile, from the repository root): ${e.message}`);
  });
}

test('the TypeScript SDK\'s ES modules load in Chromium under the strict CSP, and run() returns the output', { timeout: 120_000 }, async () => {
  const { webUrl, adminKey } = settings();
  await requireBuiltSdk();
  const marker = `hello from the sdk in a browser ${Date.now()}`;
  const origin = new URL(webUrl).origin;
  const watch = await withPage('sdk-in-browser', async (page) => {
    await serveSdk(page, origin);
    const response = await page.goto(webUrl, { waitUntil: 'load' });
    const csp = (await response.allHeaders())['content-security-policy'];
    assert.match(csp ?? '', /script-src 'self'(;|$)/, 'the SDK is to run under the page\'s strict policy');
    assert.match(csp, /connect-src 'self'(;|$)/);

    const seen = await page.evaluate(async ({ module, key, source }) => {
      const { Crucible, CrucibleError } = await import(module);
      const crucible = new Crucible({ baseUrl: location.origin, key });
      const done = await crucible.run({ runtime: 'python', source }, { timeoutMs: 60_000 });
      let refused;
      try {
        await new Crucible({ baseUrl: location.origin, key: 'not-a-real-key' }).runtimes.listRuntimes();
      } catch (e) {
        refused = { crucibleError: e instanceof CrucibleError, status: e.status, code: e.problem?.code };
      }
      return { status: done.status, verdict: done.verdict, stdout: done.stdout, finishedIsDate: done.finished_at instanceof Date, refused };
    }, { module: `${origin}${MOUNT}index.js`, key: adminKey, source: `print(${JSON.stringify(marker)})` });

    assert.equal(seen.status, 'completed');
    assert.equal(seen.verdict, 'accepted');
    assert.equal(seen.stdout, `${marker}\n`);
    assert.equal(seen.finishedIsDate, true, 'the generated models did not turn date-times into Dates');
    assert.deepEqual(seen.refused, { crucibleError: true, status: 401, code: 'unauthorized' }, 'a refused call is a CrucibleError');
  });
  // The browser logs the 401 as a failed resource load; nothing else may be logged or blocked.
  assert.deepEqual(watch.violations, [], 'securitypolicyviolation events');
  assert.deepEqual(watch.pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(watch.refused, [], 'requests to anything but loopback');
  assert.ok(watch.consoleErrors.every((e) => /status of 401/.test(e)), `console errors: ${JSON.stringify(watch.consoleErrors)}`);
});

test('a session through the TypeScript SDK in Chromium keeps its files across commands until closed', { timeout: 120_000 }, async () => {
  const { webUrl, adminKey } = settings();
  await requireBuiltSdk();
  const origin = new URL(webUrl).origin;
  const watch = await withPage('sdk-session-in-browser', async (page) => {
    await serveSdk(page, origin);
    await page.goto(webUrl, { waitUntil: 'load' });

    const seen = await page.evaluate(async ({ module, key }) => {
      const { Crucible } = await import(module);
      const session = await new Crucible({ baseUrl: location.origin, key }).openSession('python', { timeoutMs: 60_000 });
      let sorted;
      let file;
      try {
        await session.writeFile('in/numbers.txt', '3\n1\n2\n');
        sorted = await session.run(['sh', '-c', 'sort -n in/numbers.txt > sorted.txt && wc -l < sorted.txt'], { timeoutMs: 60_000 });
        file = new TextDecoder().decode(await session.readFile('sorted.txt'));
      } finally {
        await session.close();
      }
      return { verdict: sorted.verdict, stdout: sorted.stdout, file, status: (await session.get()).status };
    }, { module: `${origin}${MOUNT}index.js`, key: adminKey });

    assert.deepEqual(seen, { verdict: 'accepted', stdout: '3\n', file: '1\n2\n3\n', status: 'ended' });
  });
  assert.deepEqual(watch.violations, [], 'securitypolicyviolation events');
  assert.deepEqual(watch.pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(watch.refused, [], 'requests to anything but loopback');
  assert.deepEqual(watch.consoleErrors, [], 'console errors');
});
