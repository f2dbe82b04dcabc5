import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's `chromium` package, which `.ci/run` installs (Playwright's own browser download cannot run here). */
export const CHROMIUM = '/usr/bin/chromium';

export const chromiumMissing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} was not found: the HTML report tests are SKIPPED; install it (Debian/Ubuntu: apt-get install chromium) and run the tests again`;

/** Headless, offline, with a fresh profile: nothing the browser does on its own reaches the network. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a profile of its own, removed on close. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'roster-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did that a self-contained report must not: console errors, failed or outside requests. */
export interface PageTrouble {
  errors: string[];
  requests: string[];
  failed: string[];
}

/** Open a `file://` URL, recording every console error, page error and request on the way. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; trouble: PageTrouble }> {
  const trouble: PageTrouble = { errors: [], requests: [], failed: [] };
  const page = await browser.context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') trouble.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => trouble.errors.push(`page error: ${e.message}`));
  page.on('request', (r) => trouble.requests.push(r.url()));
  page.on('requestfailed', (r) => trouble.failed.push(`${r.url()}: ${r.failure()?.errorText ?? ''}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, trouble };
}
