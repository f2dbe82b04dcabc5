import { describe, expect, it } from 'vitest';
import { renderInventoryHtml } from './inventory.js';
import { HOSTILE_NAME, inventoryFixture, manyAccountsFixture } from './report-fixtures.testing.js';

describe('renderInventoryHtml', () => {
  it('is one self-contained page under a policy that loads nothing from anywhere', async () => {
    const html = await renderInventoryHtml(inventoryFixture());
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1] ?? '';
    expect(csp).toMatch(
      /^default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;; script-src &#39;sha256-/,
    );
    expect(csp).toContain('img-src data:');
    expect(csp).not.toContain('unsafe-inline');
    // Nothing to fetch: no src, href or url() but the SVG namespaces.
    expect(html).not.toMatch(/\s(src|href)="/);
    expect(html).not.toContain('url(');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('prints names, permissions and messages from the data as text', async () => {
    const html = await renderInventoryHtml(inventoryFixture());
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Tickets</b>');
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;Tickets&lt;/b&gt; &quot;edit&quot; &amp; &#39;delete&#39;');
  });

  it('draws the graph, highlights, tables and filter chips', async () => {
    const html = await renderInventoryHtml(inventoryFixture());
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('class="node account managed conflict"');
    expect(html).toContain('class="node account managed stale"');
    expect(html).toContain('class="node permission conflict"');
    expect(html).toMatch(/<tr class="conflict" data-system="intacct" data-status="managed">/);
    expect(html).toMatch(/<tr class="stale" data-system="intacct" data-status="managed">/);
    expect(html).toContain('data-key="status" data-value="unmanaged"');
    expect(html).toContain('last roster test sign-in');
    expect(html).toContain('system: userinfo lastLoginDate');
  });

  it('renders 50 accounts as one graph per provider', async () => {
    const html = await renderInventoryHtml(manyAccountsFixture(50));
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/class="node account /g)).toHaveLength(50);
  });

  it('past 200 accounts of a provider, says what it left out of the graph', async () => {
    const html = await renderInventoryHtml(manyAccountsFixture(603));
    expect(html).toContain('201 accounts are more than a graph shows legibly (200): drawn are the 0 with');
    expect(html.match(/<svg /g) ?? []).toHaveLength(0);
    expect(html.match(/<tr /g)).toHaveLength(603);
  });
});
