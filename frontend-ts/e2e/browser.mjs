// Shared set-up for the browser tests: settings from the environment, Debian's Chromium
// driven by playwright-core (never a downloaded browser), a page that may talk to loopback
// only, and a screenshot of every test, passed or failed.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** A required setting: the tests fail, never skip, without it. */
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see frontend-ts/README: e2e tests)`);
  return value;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(url) {
  try {
    const { hostname, protocol } = new URL(url);
    // data: and blob: URLs stay in the browser.
    return protocol === 'data:' || protocol === 'blob:' || LOOPBACK.has(hostname);
  } catch {
    return false;
  }
}

export function settings() {
  const webUrl = env('CRUCIBLE_TEST_WEB_URL');
  if (!isLoopback(webUrl)) throw new Error(`CRUCIBLE_TEST_WEB_URL must be a loopback address, not ${webUrl}`);
  return { webUrl, adminKey: env('CRUCIBLE_TEST_ADMIN_KEY'), artifacts: env('CRUCIBLE_TEST_ARTIFACTS') };
}

// As the machine notes say: without the background-networking flags Chromium keeps trying
// Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Runs `body(page, watch)` in a fresh Chromium profile and saves `<name>.png` in the
 * artifacts folder afterwards, also when the body failed. `watch` holds what the page
 * reported: CSP violations, console errors, uncaught exceptions, refused requests.
 */
export async function withPage(name, body) {
  const { artifacts } = settings();
  await mkdir(artifacts, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'crucible-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CRUCIBLE_TEST_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreHTTPSErrors: true, // the stack's certificate is self-signed
    viewport: { width: 1280, height: 900 },
  });
  const watch = { violations: [], consoleErrors: [], pageErrors: [], refused: [] };
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopback(url)) return route.continue();
      watch.refused.push(url);
      return route.abort('blockedbyclient');
    });
    // Runs before the page's own scripts, so no violation is missed (an init script is
    // injected by the browser, not an inline <script>, so the CSP does not apply to it).
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') watch.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => watch.pageErrors.push(String(error)));
    try {
      await body(page, watch);
    } finally {
      watch.violations.push(...(await page.evaluate(() => window.__cspViolations ?? []).catch(() => [])));
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true }).catch(() => {});
    }
    return watch;
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
