// Browser end-to-end tests of the web page against a running Crucible (through nginx, or
// `npm run preview`, which proxies /v1 to the api). Settings: CRUCIBLE_TEST_WEB_URL (loopback),
// CRUCIBLE_TEST_ADMIN_KEY, CRUCIBLE_TEST_ARTIFACTS (screenshots).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settings, withPage } from './browser.mjs';

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
