import type { Viz } from '@viz-js/viz';

let loaded: Promise<Viz> | undefined;

/** One Graphviz instance per process: compiling its WebAssembly takes a few hundred milliseconds. */
function graphviz(): Promise<Viz> {
  loaded ??= import('@viz-js/viz').then((m) => m.instance());
  return loaded;
}

/**
 * DOT to SVG with Graphviz compiled to WebAssembly (`@viz-js/viz`, the WASM inside its JS), at
 * generation time: the page then holds a finished picture, needs no script to draw it, and opens
 * offline under a strict Content-Security-Policy. Loaded on first use, so commands that draw no
 * graph do not pay for the 1.2 MB module.
 */
export async function dotToSvg(dot: string): Promise<string> {
  const viz = await graphviz();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success' || result.output === undefined)
    throw new Error(`Graphviz failed: ${result.errors.map((e) => e.message).join('; ')}`);
  // The XML prolog, the doctype and Graphviz's comments (node names) have no place inline in HTML.
  const svg = result.output.slice(result.output.indexOf('<svg'));
  return svg.replace(/<!--[\s\S]*?-->\n?/g, '');
}
