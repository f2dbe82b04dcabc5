import { describe, expect, it } from 'vitest';
import { HOSTILE_NAME, reviewFixture } from './report-fixtures.testing.js';
import { renderReviewHtml } from './review.js';

describe('renderReviewHtml', () => {
  it('shows the evidence: population hash, decisions, what enacted them, exceptions', async () => {
    const html = await renderReviewHtml(reviewFixture());
    expect(html).toContain('<h1>Access review 2026-Q4</h1>');
    expect(html).toContain(`sha256:${'a'.repeat(64)}`);
    expect(html).toContain(
      'commit <code>3f2a9c1d0b8e</code> 2026-12-03 finance-it: remove svc-gl (review 2026-Q4)',
    );
    expect(html).toContain('apply run-7f3a (serial 42) 2026-12-03T10:00:00Z by ci: delete ok');
    expect(html).toContain('<li>no audit log &lt;i&gt;before&lt;/i&gt; 2026-12-01</li>');
    expect(html).toMatch(/data-decision="missing" data-enactment="none"/);
    expect(html).toContain('change not yet enacted');
    expect(html).toContain('class="node account managed conflict"');
    expect(html).toContain('class="node account managed stale"');
  });

  it('prints comments and names from the review file as text', async () => {
    const html = await renderReviewHtml(reviewFixture());
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).toContain('export still needed &lt;b&gt;until&lt;/b&gt; Q1');
    expect(html.match(/<script/g)).toHaveLength(1);
  });
});
