import { describe, expect, it } from 'vitest';
import { dotToSvg } from './graph-svg.js';

describe('dotToSvg', () => {
  it('renders DOT to an inline SVG element, text escaped, without prolog or comments', async () => {
    const svg = await dotToSvg('digraph { a [label="<script>x</script>", class="account"]; a -> b; }');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<!--');
    expect(svg).not.toContain('<?xml');
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(svg).toContain('class="node account"');
  });

  it('throws on DOT Graphviz cannot read (a bug: the DOT is generated)', async () => {
    await expect(dotToSvg('digraph { a -> }')).rejects.toThrow(/Graphviz failed/);
  });
});
