// Browser end-to-end tests of the web page against a running Crucible (through nginx, or
// `npm run preview`, which proxies /v1 to the api). Settings: CRUCIBLE_TEST_WEB_URL (loopback),
// CRUCIBLE_TEST_ADMIN_KEY, CRUCIBLE_TEST_ARTIFACTS (screenshots).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { request } from 'playwright-core';
import { settings, withPage } from './browser.mjs';

const PHONE = { width: 375, height: 667 };

const RUN_TIMEOUT_MS = 60_000;

/** Opens the page and enters a key; with a good key, waits until the runtimes are listed. */
async function openWithKey(page, key, { expectRuntimes = true } = {}) {
  const response = await page.goto(settings().webUrl, { waitUntil: 'load' });
  assert.ok(response?.ok(), `the page answered ${response?.status()}`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
  if (expectRuntimes) await page.locator('#runtime:not([disabled]) option[value="python"]').waitFor({ state: 'attached' });
  return response;
}

/** Replaces the editor's text. Locators reach into the editor's (open) shadow root. */
async function typeSource(page, source) {
  const content = page.locator('#editor .cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // One insertion, not keystrokes: auto-indent and bracket closing would change typed code.
  await page.keyboard.insertText(source);
}

/** Records every text the status line shows, from now on. */
async function recordStatus(page) {
  await page.evaluate(() => {
    const status = document.getElementById('status');
    window.__statusLog = [status.textContent];
    new MutationObserver(() => window.__statusLog.push(status.textContent))
      .observe(status, { childList: true, characterData: true, subtree: true });
  });
}

async function runAndWait(page) {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('#status[data-status="completed"], #status[data-status="cancelled"]')
    .waitFor({ timeout: RUN_TIMEOUT_MS });
}

let pythonRun; // what test (a) saw, checked for CSP violations by test (d)

test('(a) Python: status goes live, then stdout and verdict accepted', { timeout: 120_000 }, async () => {
  const marker = `hello from e2e ${Date.now()}`;
  pythonRun = { documentHeaders: {}, editorDisplay: '', highlighted: 0 };
  pythonRun.watch = await withPage('a-python-accepted', async (page) => {
    const response = await openWithKey(page, settings().adminKey);
    pythonRun.documentHeaders = await response.allHeaders();
    await page.locator('#runtime').selectOption('python');
    await typeSource(page, `print("${marker}")\n`);
    await recordStatus(page);
    await runAndWait(page);

    await assert.doesNotReject(page.locator('[data-field="verdict"]', { hasText: 'accepted' }).waitFor({ timeout: 5000 }));
    assert.equal((await page.locator('[data-field="stdout"]').textContent()).trim(), marker);
    const statusLog = await page.evaluate(() => window.__statusLog);
    assert.ok(statusLog.some((s) => /^(Queued|Running)/.test(s)), `no live status before the end: ${JSON.stringify(statusLog)}`);
    assert.match(statusLog.at(-1), /Completed: accepted/);
    assert.match(await page.locator('[data-field="wall_time_ms"]').textContent(), /\d+ ms/);
    assert.match(await page.locator('[data-field="cpu_time_ms"]').textContent(), /\d+ ms/);
    assert.match(await page.locator('[data-field="peak_memory_kb"]').textContent(), /\d+ KB/);

    // The editor's own styles applied (CodeMirror's base theme makes .cm-editor a flex box)
    // and the code is highlighted: its style sheets got past the CSP.
    pythonRun.editorDisplay = await page.evaluate(() =>
      getComputedStyle(document.getElementById('editor').shadowRoot.querySelector('.cm-editor')).display);
    pythonRun.highlighted = await page.locator('#editor .cm-line span[class]').count();
    // The run appears in the history.
    await page.locator('#history-list .history-item').first().waitFor({ timeout: 10_000 });
  });
});

test('(b) C compile error: verdict compile_error with the compiler output', { timeout: 120_000 }, async () => {
  await withPage('b-c-compile-error', async (page) => {
    await openWithKey(page, settings().adminKey);
    await page.locator('#runtime').selectOption('c');
    await typeSource(page, 'int main(void) {\n    return undeclared_name;\n}\n');
    await runAndWait(page);
    await page.locator('[data-field="verdict"]', { hasText: 'compile_error' }).waitFor({ timeout: 5000 });
    const compilerOutput = await page.locator('[data-field="compile_output"]').textContent();
    assert.match(compilerOutput, /undeclared_name/);
    assert.match(compilerOutput, /error/);
  });
});

test('(c) a wrong key shows the 401 message', { timeout: 60_000 }, async () => {
  await withPage('c-wrong-key', async (page) => {
    await openWithKey(page, 'not-a-real-key-' + Date.now(), { expectRuntimes: false });
    const problem = page.getByRole('alert');
    await problem.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await problem.textContent(), /API key was not accepted \(401\)/);
    assert.equal(await page.locator('#runtime').isDisabled(), true);
  });
});

test('(d) no CSP violations while running (a), under the strict policy', () => {
  assert.ok(pythonRun?.watch, 'test (a) did not finish, so there is nothing to check');
  const csp = pythonRun.documentHeaders['content-security-policy'];
  assert.ok(csp, 'the page was served without a Content-Security-Policy header (see CSP.md)');
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.match(csp, /script-src 'self'(;|$)/);
  const { violations, consoleErrors, pageErrors, refused } = pythonRun.watch;
  assert.deepEqual(violations, [], 'securitypolicyviolation events');
  assert.deepEqual(consoleErrors, [], 'console errors');
  assert.deepEqual(pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(refused, [], 'requests to anything but loopback');
  assert.equal(pythonRun.editorDisplay, 'flex', 'CodeMirror\'s styles did not apply');
  assert.ok(pythonRun.highlighted > 0, 'the Python source is not highlighted');
});

/** Nothing the page reported: no CSP violation, console error, uncaught exception or outside request. */
function assertClean(watch, { consoleErrors = true } = {}) {
  assert.deepEqual(watch.violations, [], 'securitypolicyviolation events');
  if (consoleErrors) assert.deepEqual(watch.consoleErrors, [], 'console errors');
  assert.deepEqual(watch.pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(watch.refused, [], 'requests to anything but loopback');
}

/** Where an element is against the window, in CSS pixels. */
function boxOf(page, selector) {
  return page.locator(selector).evaluate((node) => {
    const { top, bottom } = node.getBoundingClientRect();
    return { top, bottom, windowHeight: window.innerHeight };
  });
}

/** The page does not scroll sideways, and neither does the element. */
async function assertFits(page, selector, what) {
  const widths = await page.evaluate((sel) => {
    const node = document.querySelector(sel);
    return { page: document.documentElement.scrollWidth, window: window.innerWidth, scroll: node.scrollWidth, client: node.clientWidth };
  }, selector);
  assert.ok(widths.page <= widths.window, `${what}: the page is wider than the window: ${JSON.stringify(widths)}`);
  assert.ok(widths.scroll <= widths.client, `${what}: ${selector} scrolls sideways: ${JSON.stringify(widths)}`);
}

/** Relative luminance (0 black .. 1 white) of a computed CSS colour such as "rgb(20, 22, 25)". */
function luminance(color) {
  const [r, g, b] = color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

test('(e) /docs: the API reference renders the contract, and Try it out calls the API with the page\'s key', { timeout: 120_000 }, async () => {
  const { webUrl, adminKey } = settings();
  const watch = await withPage('e-api-docs', async (page) => {
    await openWithKey(page, adminKey);
    // The contract, served beside the page, in both forms.
    const yaml = await page.request.get(new URL('/openapi.yaml', webUrl).href);
    assert.equal(yaml.status(), 200);
    assert.match(yaml.headers()['content-type'], /^application\/yaml/);
    assert.match(await yaml.text(), /^openapi: 3\./);
    const json = await page.request.get(new URL('/openapi.json', webUrl).href);
    assert.equal(json.status(), 200);
    const spec = await json.json();
    assert.ok(spec.paths['/v1/submissions']?.post, 'openapi.json has POST /v1/submissions');
    const operations = Object.values(spec.paths)
      .flatMap((item) => Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))).length;

    // Linked from the page; the key entered there is used in the same tab.
    const link = page.getByRole('link', { name: 'API reference', exact: true });
    assert.equal(await link.getAttribute('href'), '/docs');
    await link.click();
    await page.waitForURL(/\/docs$/);
    const listRuntimes = page.locator('#operations-runtimes-listRuntimes');
    await listRuntimes.waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.opblock').count(), operations, 'every operation of the contract is listed');
    await page.locator('#docs-key-note').waitFor({ state: 'visible', timeout: 5000 });

    const sent = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/runtimes') sent.push(request.headers().authorization);
    });
    await listRuntimes.locator('.opblock-summary-control').click();
    await listRuntimes.getByRole('button', { name: 'Try it out' }).click();
    await listRuntimes.getByRole('button', { name: 'Execute', exact: true }).click();
    const response = listRuntimes.locator('.live-responses-table tbody tr.response').first();
    await response.waitFor({ timeout: 30_000 });
    assert.equal((await response.locator('.response-col_status').textContent()).trim(), '200');
    assert.match(await response.locator('pre').first().textContent(), /"name": "python"/);
    assert.deepEqual(sent, [`Bearer ${adminKey}`], 'Try it out sent the page\'s key');
  });
  // The reference runs under the page's strict CSP, unrelaxed, and calls nothing outside.
  assertClean(watch);
});

test('(f) Ctrl+Enter runs, and the result comes into view with the focus', { timeout: 120_000 }, async () => {
  const marker = `ctrl-enter ${Date.now()}`;
  const watch = await withPage('f-ctrl-enter', async (page) => {
    // On a phone the result is below the form: out of sight until the page brings it.
    await page.setViewportSize(PHONE);
    await openWithKey(page, settings().adminKey);
    await page.locator('#runtime').selectOption('python');
    await typeSource(page, `print("${marker}")\n`);
    const before = await boxOf(page, '#result-heading');
    assert.ok(before.top > before.windowHeight, `the result is already in view before the run: ${JSON.stringify(before)}`);
    const lines = await page.locator('#editor .cm-line').count();

    await page.keyboard.press('Control+Enter'); // the focus is in the editor, where typeSource left it
    await page.locator('#status[data-status="completed"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.equal((await page.locator('[data-field="stdout"]').textContent()).trim(), marker);
    assert.equal(await page.locator('#editor .cm-line').count(), lines, 'Ctrl+Enter also inserted a line into the source');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading', 'the focus is on the result');
    const after = await boxOf(page, '#result-heading');
    assert.ok(after.top >= 0 && after.bottom <= after.windowHeight, `the result is not in view: ${JSON.stringify(after)}`);

    // Cmd+Enter, a Mac's shortcut, runs too (Playwright's Meta sets metaKey): a second submission.
    const first = (await page.locator('[data-field="id"]').textContent()).trim();
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Meta+Enter');
    await assert.doesNotReject(page.waitForFunction((previous) => {
      const id = document.querySelector('[data-field="id"]')?.textContent?.trim();
      return id && id !== previous && document.getElementById('status').dataset.status === 'completed';
    }, first, { timeout: RUN_TIMEOUT_MS }), 'Meta+Enter did not run the code again');
    assert.equal((await page.locator('[data-field="stdout"]').textContent()).trim(), marker);
    assert.equal(await page.locator('#editor .cm-line').count(), lines, 'Meta+Enter inserted a line into the source');
  });
  assertClean(watch);
});

test('(g) dark mode follows the system, and the toggle overrides it and is remembered', { timeout: 60_000 }, async () => {
  const watch = await withPage('g-dark-mode', async (page) => {
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const editorBackground = () => page.evaluate(() =>
      getComputedStyle(document.getElementById('editor').shadowRoot.querySelector('.cm-editor')).backgroundColor);
    const toggle = page.locator('#theme-toggle');
    const stored = () => page.evaluate(() => localStorage.getItem('crucible.theme'));

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(settings().webUrl, { waitUntil: 'load' });
    await page.locator('#editor .cm-editor').waitFor();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'a dark system makes the page dark');
    assert.ok(luminance(await background()) < 0.1, `the page is not dark: ${await background()}`);
    assert.ok(luminance(await editorBackground()) < 0.1, `the editor is not dark: ${await editorBackground()}`);

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.ok(luminance(await background()) > 0.8, `the toggle did not make the page light: ${await background()}`);
    assert.ok(luminance(await editorBackground()) > 0.8, `the editor stayed dark: ${await editorBackground()}`);
    assert.equal(await stored(), 'light');

    await page.reload({ waitUntil: 'load' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'the choice was not remembered');
    assert.ok(luminance(await background()) > 0.8, `after a reload the page is dark again: ${await background()}`);

    // Choosing what the system shows anyway is no override: the page follows the system again.
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.ok(luminance(await background()) < 0.1, `the toggle did not make the page dark: ${await background()}`);
    assert.equal(await stored(), null);
    await page.emulateMedia({ colorScheme: 'light' });
    // The media query's change event comes a moment later, not within emulateMedia.
    await assert.doesNotReject(page.waitForFunction(() => document.getElementById('theme-toggle').getAttribute('aria-pressed') === 'false',
      null, { timeout: 5000 }), 'the toggle did not follow the system to light');
    assert.ok(luminance(await background()) > 0.8, `the page did not follow the system to light: ${await background()}`);
  });
  assertClean(watch);
});

test('(h) tests panel: input, expected and actual output, a line diff for the wrong answer; fits 1280 px and a phone', { timeout: 120_000 }, async () => {
  const watch = await withPage('h-tests-diff', async (page) => {
    await openWithKey(page, settings().adminKey);
    await page.locator('#runtime').selectOption('python');
    const source = 'n = int(input())\nprint(7 if n == 3 else n * 2)\nprint("end")\n';
    await typeSource(page, source);
    for (const [n, stdin, expected] of [[1, '2', '4\nend'], [2, '3', '6\nend']]) {
      await page.getByRole('button', { name: 'Add test case' }).click();
      await page.locator(`#test-${n}-stdin`).fill(stdin);
      await page.locator(`#test-${n}-expected`).fill(expected);
    }
    await runAndWait(page);
    await page.locator('[data-field="verdict"]', { hasText: 'wrong_answer' }).waitFor({ timeout: 5000 });

    const entries = page.locator('[data-field="tests"] .test-result');
    assert.equal(await entries.count(), 2);
    assert.equal(await entries.nth(0).getAttribute('data-verdict'), 'accepted');
    assert.equal(await entries.nth(0).locator('details').getAttribute('open'), null, 'a passed test starts closed');
    const wrong = entries.nth(1);
    assert.equal(await wrong.getAttribute('data-verdict'), 'wrong_answer');
    assert.notEqual(await wrong.locator('details').getAttribute('open'), null, 'a wrong answer starts open');
    assert.equal(await wrong.locator('[data-field="test-stdin"]').textContent(), '3');
    assert.equal(await wrong.locator('[data-field="test-expected"]').textContent(), '6\nend');
    assert.equal((await wrong.locator('[data-field="test-stdout"]').textContent()).trim(), '7\nend');
    const diff = wrong.locator('[data-field="test-diff"]');
    // Each changed line: its mark, words for screen readers, the line.
    assert.deepEqual(await diff.locator('del').allTextContents(), ['−expected: 6']);
    assert.deepEqual(await diff.locator('ins').allTextContents(), ['+printed: 7']);
    assert.deepEqual(await diff.locator('span.diff-line').allTextContents(), [' end'], 'the shared line, once');
    assert.equal(await entries.nth(0).locator('[data-field="test-diff"]').count(), 0, 'no diff for a passed test');

    // The history row came live (the list is not reloaded) and names the run.
    const row = page.locator('#history-list .history-item').first();
    await row.locator('.badge.verdict-wrong_answer').waitFor({ timeout: 10_000 });
    assert.equal(await row.locator('.history-label').textContent(), 'n = int(input())');
    assert.match(await row.locator('.history-duration').textContent(), /^\d+(\.\d+)? (ms|s)$/);

    await assertFits(page, '.tests', '1280 px');
    await page.setViewportSize(PHONE);
    await assertFits(page, '.tests', 'a phone');
  });
  assertClean(watch);
});

test('(i) ANSI colours in output are rendered as colour, other escapes dropped, markup stays text', { timeout: 120_000 }, async () => {
  const watch = await withPage('i-ansi', async (page) => {
    await openWithKey(page, settings().adminKey);
    await page.locator('#runtime').selectOption('python');
    await typeSource(page, String.raw`import sys
print("\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[0m <b>not bold</b>")
print("\x1b[38;5;196mx\x1b[0m")
sys.stderr.write("\x1b[2J\x1b[H\x1b]0;title\x07warning\n")
`);
    await runAndWait(page);
    const stdout = page.locator('[data-field="stdout"]');
    assert.equal(await stdout.textContent(), 'red plain bold green <b>not bold</b>\nx\n');
    assert.equal((await page.locator('[data-field="stderr"]').textContent()).trim(), 'warning');
    const red = stdout.locator('.ansi-fg-1');
    assert.equal(await red.textContent(), 'red');
    const [r, g, b] = (await red.evaluate((e) => getComputedStyle(e).color)).match(/\d+/g).map(Number);
    assert.ok(r > 2 * g && r > 2 * b, `"red" is not red: rgb(${r}, ${g}, ${b})`);
    assert.equal(await stdout.locator('.ansi-bold.ansi-fg-2').textContent(), 'bold green');
    assert.equal(await stdout.locator('span', { hasText: /^x$/ }).evaluate((e) => getComputedStyle(e).color), 'rgb(255, 0, 0)');
    assert.equal(await page.locator('#result b').count(), 0, 'markup in output became an element');
  });
  assertClean(watch);
});

test('(j) the small ones: full limit placeholders, a 422 field error printed once, "Cancelled."', { timeout: 120_000 }, async () => {
  const watch = await withPage('j-small-ones', async (page) => {
    await openWithKey(page, settings().adminKey);
    await page.locator('details.more summary').click();
    for (const runtime of await page.locator('#runtime option').evaluateAll((options) => options.map((o) => o.value))) {
      await page.locator('#runtime').selectOption(runtime);
      for (const field of ['#wall-time', '#memory']) {
        const fit = await page.locator(field).evaluate((input) => {
          const style = getComputedStyle(input);
          const context = document.createElement('canvas').getContext('2d');
          context.font = style.font;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16; // spin buttons
          return { placeholder: input.placeholder, text: context.measureText(input.placeholder).width, room };
        });
        assert.match(fit.placeholder, /^default \d+, max \d+$/, `${runtime} ${field}`);
        assert.ok(fit.text <= fit.room, `${runtime} ${field}: "${fit.placeholder}" is cut off: ${JSON.stringify(fit)}`);
      }
    }

    await page.locator('#runtime').selectOption('python');
    await typeSource(page, 'import time\ntime.sleep(20)\n');
    await page.locator('#wall-time').fill('1'); // below the server's minimum: a 422 on limits.wall_time_ms
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const problem = page.getByRole('alert');
    await problem.waitFor({ state: 'visible', timeout: 10_000 });
    const fields = await problem.locator('.problem-fields li').allTextContents();
    assert.equal(fields.length, 1, `one field error: ${JSON.stringify(fields)}`);
    const message = fields[0].slice(fields[0].indexOf(': ') + 2);
    const alertText = await problem.textContent();
    assert.equal(alertText.split(message).length - 1, 1, `the field error is printed more than once: ${alertText}`);

    await page.locator('#wall-time').fill('20000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const cancel = page.getByRole('button', { name: 'Cancel run' });
    await cancel.waitFor({ state: 'visible', timeout: 10_000 });
    await cancel.click();
    await page.locator('#status[data-status="cancelled"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    const status = await page.locator('#status').textContent();
    assert.match(status, /^Cancelled/);
    assert.doesNotMatch(status, /…/, 'a final status has no ellipsis');
  });
  // The 422 is logged by the browser as a failed resource load; nothing else may be.
  assertClean(watch, { consoleErrors: false });
  assert.ok(watch.consoleErrors.every((e) => /status of 422/.test(e)), `console errors: ${JSON.stringify(watch.consoleErrors)}`);
});

test('(k) output shows while the program runs, then the stored output replaces it', { timeout: 120_000 }, async () => {
  const watch = await withPage('k-live-output', async (page) => {
    await openWithKey(page, settings().adminKey);
    await page.locator('#runtime').selectOption('python');
    await typeSource(page, 'import sys, time\nprint("first live line", flush=True)\nprint("to stderr", file=sys.stderr, flush=True)\ntime.sleep(4)\nprint("second line")\n');
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    const liveBox = page.locator('[data-field="live-output"]');
    await liveBox.filter({ hasText: 'first live line' }).waitFor({ timeout: RUN_TIMEOUT_MS });
    // Seen while the program sleeps: no verdict yet, and the second line not printed.
    assert.equal(await page.locator('#status').getAttribute('data-status'), 'running');
    assert.doesNotMatch(await liveBox.textContent(), /second line/);
    assert.equal((await liveBox.locator('.live-stderr').textContent()).trim(), 'to stderr');

    await page.locator('#status[data-status="completed"]').waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.equal(await liveBox.count(), 0, 'the final result shows the stored output instead');
    assert.equal((await page.locator('[data-field="stdout"]').textContent()).trim(), 'first live line\nsecond line');
  });
  // The live chunks are put into the page as the rest of it is: under the strict CSP, without errors.
  assertClean(watch);
});

test('(l) a history row reopens its code, input and tests; a share link opens the submission', { timeout: 120_000 }, async () => {
  const watch = await withPage('l-reopen-share', async (page) => {
    await openWithKey(page, settings().adminKey);
    await page.locator('#runtime').selectOption('python');
    const source = `print(input()[::-1])  # reopen ${Date.now()}\n`;
    await typeSource(page, source);
    await page.locator('details.more > summary').click();
    await page.locator('#stdin').fill('olleh');
    await page.getByRole('button', { name: 'Add test case' }).click();
    await page.locator('#test-1-stdin').fill('ab');
    await page.locator('#test-1-expected').fill('ba');
    await runAndWait(page);
    const id = (await page.locator('[data-field="id"]').textContent()).trim();

    // Another program in the form, then the first one reopened from its history row.
    await typeSource(page, 'print(0)\n');
    await page.locator('#stdin').fill('');
    await page.locator('details.more > summary').click();
    await page.locator('#test-cases .test-case button', { hasText: 'Remove' }).click();
    await page.locator(`#history-list .history-item[data-id="${id}"]`).click();
    await page.locator(`[data-field="id"]`, { hasText: id }).waitFor({ timeout: 10_000 });
    await page.locator('#editor .cm-content', { hasText: 'reopen' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#editor .cm-content').textContent(), source.trimEnd());
    assert.notEqual(await page.locator('details.more').getAttribute('open'), null, 'its input is shown');
    assert.equal(await page.locator('#stdin').inputValue(), 'olleh');
    assert.equal(await page.locator('#test-cases .test-case').count(), 1);
    assert.equal(await page.locator('#test-cases .test-case textarea[name="expected"]').inputValue(), 'ba');
    assert.equal(await page.locator(`#history-list .history-item[data-id="${id}"] .history-label`).textContent(),
      source.split('\n')[0], 'the row names the reopened code by its first line');

    // The result's share link, opened in a fresh load of the page, shows that submission again.
    const href = await page.locator('[data-field="share"] a').getAttribute('href');
    assert.equal(href, `#/s/${id}`);
    await typeSource(page, 'print(0)\n');
    await page.goto(`${settings().webUrl}/${href}`, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    await page.locator(`[data-field="id"]`, { hasText: id }).waitFor({ timeout: 20_000 });
    await page.locator('#editor .cm-content', { hasText: 'reopen' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[data-field="verdict"]').textContent(), 'accepted');
  });
  assertClean(watch);
});

test('(m) an evaluation: progress, pass@k per problem and k, overall, the JSON Lines download, a reload reopens it', { timeout: 240_000 }, async () => {
  // add: 2 of 3 samples right; neg: 0 of 2. k = 5 is above both problems' n.
  const request = {
    runtime: 'python',
    k: [1, 2, 5],
    problems: [
      {
        id: 'add',
        prompt: 'def add(a, b):\n',
        test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n',
        entry_point: 'add',
        samples: ['    return a + b\n', '    return b + a\n', '    return a - b\n'],
      },
      {
        id: 'neg',
        prompt: 'def neg(x):\n',
        test: 'def check(candidate):\n    assert candidate(2) == -2\n',
        entry_point: 'neg',
        samples: ['    return x\n', '    return x + 1\n'],
      },
    ],
  };
  const watch = await withPage('m-evaluation', async (page) => {
    await openWithKey(page, settings().adminKey);
    const status = page.locator('[data-field="evaluation-status"]');
    await page.evaluate(() => {
      const node = document.querySelector('[data-field="evaluation-status"]');
      window.__evaluationStatusLog = [];
      new MutationObserver(() => window.__evaluationStatusLog.push(node.textContent))
        .observe(node, { childList: true, characterData: true, subtree: true });
    });
    await page.getByLabel('Evaluation request (JSON)').fill(JSON.stringify(request, null, 2));
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    await page.locator('[data-field="evaluation-status"][data-status="completed"]').waitFor({ timeout: 120_000 });

    const log = await page.evaluate(() => window.__evaluationStatusLog);
    assert.match(log[0], /^Running…/, `the running evaluation was shown first: ${JSON.stringify(log)}`);
    assert.equal(await status.textContent(), 'Completed.');
    assert.equal(await page.getByRole('button', { name: 'Cancel evaluation' }).isVisible(), false, 'Cancel is gone once it is final');
    const id = (await page.locator('[data-field="evaluation-id"]').textContent()).trim();
    assert.equal(new URL(page.url()).hash, `#/e/${id}`);

    const checkResults = async () => {
      const bar = await page.locator('progress[data-field="evaluation-progress"]').evaluate((p) => ({ value: p.value, max: p.max }));
      assert.deepEqual(bar, { value: 5, max: 5 });
      assert.equal(await page.locator('[data-field="evaluation-progress-text"]').textContent(), '5 of 5 samples done');
      const cell = (problem, column) => page.locator(`tr[data-problem="${problem}"] [${column}]`).textContent();
      assert.equal(await cell('add', 'data-col="n"'), '3');
      assert.equal(await cell('add', 'data-col="c"'), '2');
      assert.equal(await cell('neg', 'data-col="c"'), '0');
      assert.equal(await cell('add', 'data-k="1"'), '66.7%');
      assert.equal(await cell('add', 'data-k="2"'), '100.0%');
      assert.equal(await cell('add', 'data-k="5"'), 'undefined (k > n)');
      assert.equal(await cell('neg', 'data-k="1"'), '0.0%');
      assert.equal(await cell('neg', 'data-k="2"'), '0.0%');
      assert.equal(await cell('neg', 'data-k="5"'), 'undefined (k > n)');
      // Over all problems: the mean where defined; for k = 5 it is defined for none.
      const overall = (k) => page.locator(`[data-field="evaluation-pass-at-k"] [data-k="${k}"]`).textContent();
      assert.equal(await overall(1), '33.3%');
      assert.equal(await overall(2), '50.0%');
      assert.equal(await overall(5), 'undefined (k > n)');
      assert.equal(await page.locator('[data-field="evaluation-verdicts"] li[data-verdict="accepted"]').textContent(), 'accepted 2');
    };
    await checkResults();

    // The key cannot go in a link: the button fetches the file with it and saves a Blob URL.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: 'Download results (JSON Lines)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `evaluation-${id}.jsonl`);
    const lines = (await readFile(await download.path(), 'utf8')).split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 5, `one line per sample: ${JSON.stringify(lines)}`);
    const samples = lines.map((line) => JSON.parse(line));
    assert.deepEqual(samples.map((s) => `${s.problem}/${s.sample}`), ['add/0', 'add/1', 'add/2', 'neg/0', 'neg/1']);
    assert.deepEqual(samples.map((s) => s.verdict === 'accepted'), [true, true, false, false, false]);

    // The address names the evaluation: a reload shows it again.
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-field="evaluation-status"][data-status="completed"]').waitFor({ timeout: 20_000 });
    await checkResults();
  });
  assertClean(watch);
});

test('(n) a share link opened in another browser asks for a key, opens for a key that may read it, and is "not found" for another', { timeout: 180_000 }, async () => {
  const { webUrl, adminKey } = settings();
  // Two submitter keys of their own: one makes the submission, the other may not read it.
  const api = await request.newContext({ baseURL: webUrl, ignoreHTTPSErrors: true, extraHTTPHeaders: { Authorization: `Bearer ${adminKey}` } });
  const made = [];
  const submitterKey = async (name) => {
    const answer = await api.post('/v1/keys', { data: { name: `${name} ${Date.now()}`, role: 'submitter' } });
    assert.equal(answer.status(), 201, `POST /v1/keys: ${await answer.text()}`);
    const created = await answer.json();
    made.push(created.id);
    return created.key;
  };
  try {
    const owner = await submitterKey('e2e share owner');
    const stranger = await submitterKey('e2e share stranger');
    const source = `print("shared ${Date.now()}")\n`;
    let link;
    const ownerWatch = await withPage('n-share-owner', async (page) => {
      await openWithKey(page, owner);
      await page.locator('#runtime').selectOption('python');
      await typeSource(page, source);
      await runAndWait(page);
      link = await page.locator('[data-field="share"] a').evaluate((a) => a.href);
    });
    assertClean(ownerWatch);
    const id = new URL(link).hash.replace('#/s/', '');

    // withPage starts a new profile each time: no key in sessionStorage, as in another browser.
    const adminWatch = await withPage('n-share-admin', async (page) => {
      await page.goto(link, { waitUntil: 'load' });
      const ask = page.getByRole('alert');
      await ask.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await ask.textContent(), /Enter an API key that may read this shared submission/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'api-key', 'the focus is on the key field');
      assert.equal(await page.locator('[data-field="id"]').count(), 0, 'something was shown without a key');

      await page.getByLabel('API key').fill(adminKey);
      await page.getByRole('button', { name: 'Use key' }).click();
      await page.locator('[data-field="id"]', { hasText: id }).waitFor({ timeout: 20_000 });
      await page.locator('#editor .cm-content', { hasText: 'shared' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('#editor .cm-content').textContent(), source.trimEnd());
      assert.equal(await page.locator('[data-field="verdict"]').textContent(), 'accepted');
      assert.equal(await page.getByRole('alert').count(), 0, 'the request for a key is gone once it opened');
    });
    assertClean(adminWatch);

    const strangerWatch = await withPage('n-share-stranger', async (page) => {
      await page.goto(link, { waitUntil: 'load' });
      await page.getByRole('alert').waitFor({ state: 'visible', timeout: 10_000 });
      await page.getByLabel('API key').fill(stranger);
      await page.getByRole('button', { name: 'Use key' }).click();
      const problem = page.getByRole('alert').filter({ hasText: 'Not found' });
      await problem.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await problem.textContent(), /Not found \(404\)\. It may belong to another key\./);
      assert.equal(await page.locator('[data-field="id"]').count(), 0, 'another key\'s submission was shown');
      assert.doesNotMatch(await page.locator('#editor .cm-content').textContent(), /shared/, 'its code reached the editor');
      assert.equal(await page.locator('#status').textContent(), 'Nothing run yet.');
    });
    // The browser logs each 404 answer as a failed resource load; nothing else may be logged.
    assertClean(strangerWatch, { consoleErrors: false });
    assert.ok(strangerWatch.consoleErrors.every((e) => /status of 404/.test(e)),
      `console errors: ${JSON.stringify(strangerWatch.consoleErrors)}`);
  } finally {
    for (const keyId of made) await api.delete(`/v1/keys/${keyId}`).catch(() => {});
    await api.dispose();
  }
});

test('(o) a session keeps files between commands; ArrowUp recalls a line; End ends it', { timeout: 180_000 }, async () => {
  const { webUrl, adminKey } = settings();
  const api = await request.newContext({ baseURL: webUrl, ignoreHTTPSErrors: true, extraHTTPHeaders: { Authorization: `Bearer ${adminKey}` } });
  const made = await api.post('/v1/keys', { data: { name: `e2e session ${Date.now()}`, role: 'submitter' } });
  assert.equal(made.status(), 201, `POST /v1/keys: ${await made.text()}`);
  const { id: keyId, key } = await made.json();
  try {
    const watch = await withPage('o-session', async (page) => {
      await openWithKey(page, key);
      await page.locator('#session-runtime:not([disabled]) option[value="python"]').waitFor({ state: 'attached' });
      await page.locator('#session-runtime').selectOption('python');
      await page.getByRole('button', { name: 'Start session' }).click();
      const status = page.locator('#session-status');
      await page.locator('#session-status[data-status="ready"]').waitFor({ timeout: RUN_TIMEOUT_MS });
      assert.equal(await status.textContent(), 'Ready.');
      const id = (await page.locator('[data-field="session-id"]').textContent()).trim();
      assert.equal(new URL(page.url()).hash, `#/t/${id}`);
      assert.match(await page.locator('[data-field="session-expires"]').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'session-command', 'the focus is on the command line');

      const input = page.getByLabel('Command', { exact: true });
      const entries = page.locator('#session-log .term-entry');
      /** Runs a line with Enter and waits for its result: the input is disabled meanwhile, then back. */
      const runLine = async (line, count) => {
        await input.fill(line);
        await input.press('Enter');
        await entries.nth(count - 1).locator('[data-field="command-summary"]').waitFor({ timeout: RUN_TIMEOUT_MS });
        await page.locator('#session-command:not([disabled])').waitFor({ timeout: 10_000 });
        return entries.nth(count - 1);
      };
      const written = await runLine('echo hello > f.txt', 1);
      assert.equal(await written.getAttribute('data-status'), 'finished');
      assert.match(await written.locator('[data-field="command-summary"]').textContent(), /^exit 0 · accepted · \d+ ms$/);
      assert.equal(await written.locator('[data-field="command-stdout"]').count(), 0, 'the redirect printed nothing');

      const read = await runLine('cat f.txt', 2);
      assert.equal(await read.locator('[data-field="command-line"]').textContent(), '$ cat f.txt');
      assert.equal(await read.locator('[data-field="command-stdout"]').textContent(), 'hello\n');
      assert.match(await read.locator('[data-field="command-summary"]').textContent(), /^exit 0 · accepted · \d+ ms$/);
      assert.equal(await read.locator('[data-field="command-live"]').count(), 0, 'the result replaced the live output');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'session-command', 'the focus came back to the command line');

      // The history, as in a shell: up to the older lines, down to the line being typed.
      await input.press('ArrowUp');
      assert.equal(await input.inputValue(), 'cat f.txt');
      await input.press('ArrowUp');
      assert.equal(await input.inputValue(), 'echo hello > f.txt');
      await input.press('ArrowDown');
      await input.press('ArrowDown');
      assert.equal(await input.inputValue(), '');

      await page.getByRole('button', { name: 'End session' }).click();
      await page.locator('#session-status[data-status="ended"]').waitFor({ timeout: 20_000 });
      assert.equal(await status.textContent(), 'Ended (deleted).');
      assert.match(await page.locator('#session-log [data-field="session-ended"]').textContent(), /^Session ended \(deleted\)/);
      assert.equal(await page.locator('#session-log [data-field="session-ended"]').count(), 1, 'the end is said once');
      assert.equal(await input.isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'End session' }).isVisible(), false);
      assert.equal(await page.getByRole('button', { name: 'Start session' }).isEnabled(), true);
      const ended = await api.get(`/v1/sessions/${id}`, { headers: { Authorization: `Bearer ${key}` } });
      assert.equal((await ended.json()).status, 'ended', 'the server has ended it too');
    });
    assertClean(watch);
  } finally {
    await api.delete(`/v1/keys/${keyId}`).catch(() => {});
    await api.dispose();
  }
});
