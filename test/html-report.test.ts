// Issue 20, item 5: the HTML inventory and review reports, opened in a real headless Chromium (the
// system's package, installed by .ci/run): the page loads offline with no console error and no
// request but its own file, the Graphviz SVG shows the expected nodes and highlights, typing in the
// filter hides rows, clicking a header sorts. Screenshots go to test-results/ for the review.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type InventoryReport, type ReviewReport, renderInventoryHtml, renderReviewHtml } from '@roster/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOSTILE_NAME,
  inventoryFixture,
  reviewFixture,
} from '../packages/core/src/render/html/report-fixtures.testing.js';
import { copyExample, repoRoot, roster } from './helpers.js';
import {
  type Browser,
  chromiumMissing,
  launchChromium,
  openPage,
  type PageTrouble,
} from './support/chromium.js';

const results = path.join(repoRoot, 'test-results');

if (chromiumMissing) {
  if (process.env.CI === 'true') throw new Error(`CI must run the HTML report tests: ${chromiumMissing}`);
  console.warn(`\n*** ${chromiumMissing} ***\n`);
}

/** The report written to a file of its own and opened from disk, as a reader would. */
async function open(
  browser: Browser,
  name: string,
  html: string,
): Promise<{ page: Page; trouble: PageTrouble }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'roster-html-')), `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const opened = await openPage(browser, url);
  return {
    ...opened,
    trouble: { ...opened.trouble, requests: opened.trouble.requests.filter((r) => r !== url) },
  };
}

/** The first cells (addresses) of the table's visible rows, top to bottom. */
async function visibleAddresses(page: Page, table: string): Promise<string[]> {
  return page.locator(`#${table} tbody tr:visible td:first-child code`).allTextContents();
}

function expectClean(trouble: PageTrouble): void {
  expect(trouble.errors).toEqual([]);
  expect(trouble.failed).toEqual([]);
  expect(trouble.requests).toEqual([]);
}

describe.skipIf(chromiumMissing !== null)('the HTML reports in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(results, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('inventory: loads offline and clean, draws the graph with its highlights, sorts and filters', async () => {
    const { page, trouble } = await open(browser, 'inventory', await renderInventoryHtml(inventoryFixture()));

    // The graph: one SVG per provider, every account drawn, the connector's target in its cluster.
    expect(await page.locator('#graph svg').count()).toBe(3);
    const accounts = page.locator('#graph svg g.node.account');
    expect(await accounts.count()).toBe(7);
    const box = await page.locator('#graph svg').first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(50);
    expect(await page.locator('#graph svg g.node.account.conflict').first().textContent()).toContain(
      '[SoD conflict]',
    );
    expect(await page.locator('#graph svg g.node.account.stale').textContent()).toContain('svc-gl');
    expect(await page.locator('#graph svg g.node.account.stale').textContent()).toContain('[stale]');
    expect(await page.locator('#graph svg g.node.account.stale path').first().getAttribute('fill')).toBe(
      '#fde68a',
    );
    expect(await page.locator('#graph svg g.node.permission.conflict').count()).toBe(2);
    expect(await page.locator('#graph svg g.edge.connects').textContent()).toContain('signs in as');
    expect(await page.locator('.legend').textContent()).toContain('[SoD conflict]');

    // Markup from the data is text: it shows, and it did not run.
    expect(await page.locator('#accounts-table').textContent()).toContain(HOSTILE_NAME);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    // Filter: typing hides the rows that do not match; a chip narrows by status.
    const all = await visibleAddresses(page, 'accounts-table');
    expect(all).toHaveLength(6);
    await page.locator('[data-filter-for="accounts-table"] input[type=search]').fill('svc-gl');
    expect(await visibleAddresses(page, 'accounts-table')).toEqual(['intacct-main/User/svc-gl']);
    expect(await page.locator('[data-filter-for="accounts-table"] .count').textContent()).toBe(
      '1 of 6 shown',
    );
    await page.locator('[data-filter-for="accounts-table"] input[type=search]').fill('');
    await page.locator('[data-filter-for="accounts-table"] button.chip[data-value="unmanaged"]').click();
    expect(await visibleAddresses(page, 'accounts-table')).toEqual(['intacct-main/User/legacy-export']);
    await page.locator('[data-filter-for="accounts-table"] button.chip[data-value="unmanaged"]').click();

    // Clicking an account in the graph filters the table to the rows that mention it.
    await page.locator('#graph svg g.node.account.stale').click();
    expect(await visibleAddresses(page, 'accounts-table')).toEqual(['intacct-main/User/svc-gl']);
    await page.locator('[data-filter-for="accounts-table"] input[type=search]').fill('');

    // Sort: by permission count (numeric), then the other way.
    const header = page.locator('#accounts-table th', { hasText: 'Permissions' }).locator('button');
    await header.click();
    expect((await visibleAddresses(page, 'accounts-table'))[0]).toBe('intacct-main/User/old-svc');
    await header.click();
    expect((await visibleAddresses(page, 'accounts-table'))[0]).toBe('intacct-main/User/svc-gl');
    expect(await page.locator('#accounts-table th[aria-sort=descending]').textContent()).toContain(
      'Permissions',
    );
    expect((await visibleAddresses(page, 'accounts-table')).sort()).toEqual([...all].sort());

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(results, 'inventory.png'), fullPage: true });
    expectClean(trouble);
  });

  it('review: loads offline and clean, shows decisions and enactments, filters by decision', async () => {
    const { page, trouble } = await open(browser, 'review', await renderReviewHtml(reviewFixture()));

    expect(await page.locator('h1').textContent()).toBe('Access review 2026-Q4');
    expect(await page.locator('#graph svg g.node.account.conflict').first().textContent()).toContain(
      'svc-ap',
    );
    expect(await page.locator('#graph svg g.node.account.stale').textContent()).toContain('svc-gl');
    expect(await page.locator('#items-table').textContent()).toContain('3f2a9c1d0b8e');

    await page
      .locator('[data-filter-for="items-table"] button.chip[data-key="decision"][data-value="missing"]')
      .click();
    expect(await visibleAddresses(page, 'items-table')).toEqual(['getint/Connection/intacct-sync']);
    await page
      .locator('[data-filter-for="items-table"] button.chip[data-key="decision"][data-value="missing"]')
      .click();
    await page.locator('[data-filter-for="items-table"] input[type=search]').fill('unused since');
    expect(await visibleAddresses(page, 'items-table')).toEqual(['intacct-main/User/svc-gl']);
    await page.locator('[data-filter-for="items-table"] input[type=search]').fill('');

    const header = page.locator('#items-table th', { hasText: 'Decision' }).locator('button');
    await header.click();
    expect((await visibleAddresses(page, 'items-table'))[0]).toBe('intacct-main/User/svc-ap');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(results, 'review.png'), fullPage: true });
    expectClean(trouble);
  });

  it('roster inventory --format html on the company example: clean, a graph per provider, filter', async () => {
    const dir = copyExample('company');
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const json = await roster(['inventory', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(json.stdout) as InventoryReport;
    const html = await roster(['inventory', '--format', 'html'], { cwd: dir });
    expect(html.code, html.stderr).toBe(json.code);
    expect(html.stdout.startsWith('<!doctype html>')).toBe(true);

    const { page, trouble } = await open(browser, 'inventory-company', html.stdout);
    const providers = new Set(report.accounts.map((a) => a.provider));
    expect(providers.size).toBeGreaterThan(2);
    expect(await page.locator('#graph svg').count()).toBe(providers.size);
    // Every account is drawn in its provider's graph (and again where a connector reaches it).
    expect(await page.locator('#graph svg g.node.account').count()).toBeGreaterThanOrEqual(
      report.accounts.length,
    );
    const conflicted = new Set(report.conflicts.filter((c) => !c.excepted).map((c) => c.address));
    expect(await page.locator('#graph svg g.node.account.conflict').count()).toBeGreaterThanOrEqual(
      conflicted.size,
    );
    const rows = await visibleAddresses(page, 'accounts-table');
    expect(rows.sort()).toEqual(report.accounts.map((a) => a.address).sort());

    // An address no other row mentions (rows also list the paths their permissions come through).
    const mentions = (a: InventoryReport['accounts'][number]) =>
      [a.address, ...a.permissions.flatMap((p) => p.via)].join(' ').toLowerCase();
    const target =
      report.accounts.find((t) =>
        report.accounts.every((a) => a === t || !mentions(a).includes(t.address.toLowerCase())),
      )?.address ?? '';
    expect(target).not.toBe('');
    await page.locator('[data-filter-for="accounts-table"] input[type=search]').fill(target);
    expect(await visibleAddresses(page, 'accounts-table')).toEqual([target]);
    await page.locator('[data-filter-for="accounts-table"] input[type=search]').fill('');

    await page.screenshot({ path: path.join(results, 'inventory-company.png'), fullPage: true });
    expectClean(trouble);
  });

  it('roster review report --format html on the company example: clean, decisions filter, graph', async () => {
    const dir = copyExample('company');
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const start = await roster(['review', 'start', '--period', '2026-Q4'], {
      cwd: dir,
      env: { ROSTER_ACTOR: 'auditor' },
    });
    expect(start.code, start.stderr).toBe(0);
    // Every account kept by carol, but one revoked (and not yet enacted).
    const file = path.join(dir, 'reviews/2026-Q4.yaml');
    let revoked = '';
    const decided = readFileSync(file, 'utf8').replace(
      /^( {4}- address: (\S+)\n)/gm,
      (_, line: string, address: string) => {
        revoked ||= address;
        const decision = address === revoked ? 'revoke' : 'keep';
        return `${line}      decision: {decision: ${decision}, reviewer: carol, at: 2026-12-02, comment: "<b>${decision}</b>"}\n`;
      },
    );
    writeFileSync(file, decided);
    const json = await roster(['review', 'report', '--format', 'json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ReviewReport;
    const html = await roster(['review', 'report', '--format', 'html'], { cwd: dir });
    expect(html.code, html.stderr).toBe(0);

    const { page, trouble } = await open(browser, 'review-company', html.stdout);
    expect(await page.locator('h1').textContent()).toBe('Access review 2026-Q4');
    expect(await page.locator('#graph svg').count()).toBe(
      new Set(report.current.map((a) => a.provider)).size,
    );
    expect((await visibleAddresses(page, 'items-table')).length).toBe(report.items.length);
    await page
      .locator('[data-filter-for="items-table"] button.chip[data-key="decision"][data-value="revoke"]')
      .click();
    expect(await visibleAddresses(page, 'items-table')).toEqual([revoked]);
    expect(await page.locator('#items-table tbody tr:visible').textContent()).toContain('<b>revoke</b>');
    await page
      .locator('[data-filter-for="items-table"] button.chip[data-key="decision"][data-value="revoke"]')
      .click();

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(results, 'review-company.png'), fullPage: true });
    expectClean(trouble);
  });

  it('the policy holds: a script or an image the renderer did not write is refused, and reported', async () => {
    const html = (await renderInventoryHtml(inventoryFixture())).replace(
      '</body>',
      '<script>window.__pwned = 3</script><img src="http://127.0.0.1:9/beacon.png" alt=""></body>',
    );
    const { page, trouble } = await open(browser, 'tampered', html);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(trouble.errors.join('\n')).toMatch(/Content Security Policy/);
    // Chromium announces the image request, then blocks it before it leaves.
    expect(trouble.failed).toEqual(['http://127.0.0.1:9/beacon.png: csp']);
    // The page's own script still ran: the filter counts rows.
    expect(await page.locator('[data-filter-for="accounts-table"] .count').textContent()).toBe(
      '6 of 6 shown',
    );
  });
});
