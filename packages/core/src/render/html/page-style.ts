/** The stylesheet of an HTML report, inline (its SHA-256 is in the page's Content-Security-Policy). */
export const PAGE_STYLE = `
:root { color-scheme: light; --conflict: #b91c1c; --conflict-bg: #fecaca; --stale: #b45309; --stale-bg: #fde68a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; padding: 1.5rem 2rem; color: #111827; background: #f9fafb; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #e5e7eb; padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
.meta { color: #4b5563; margin: 0 0 1rem; }
.meta code, td code { font-size: .85em; word-break: break-all; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; padding: 0; list-style: none; }
.summary li { background: #fff; border: 1px solid #e5e7eb; border-radius: .5rem; padding: .4rem .75rem; }
.summary b { font-size: 1.1rem; margin-right: .25rem; }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: .4rem; }
.swatch { display: inline-block; width: 1.1rem; height: .9rem; border: 2px solid #1e3a8a; background: #dbeafe; border-radius: .2rem; }
.swatch.conflict { border-color: var(--conflict); background: var(--conflict-bg); }
.swatch.stale { border-color: var(--stale); background: var(--stale-bg); }
.swatch.via { border-color: #3730a3; background: #e0e7ff; border-radius: 50%; }
.swatch.permission { border-color: #6b7280; background: #fff; }
.swatch.dashed { border-style: dashed; background: #fff; border-color: #6b7280; }
.graph { background: #fff; border: 1px solid #e5e7eb; border-radius: .5rem; padding: .5rem; overflow: auto; max-height: 80vh; }
.graph svg { max-width: none; height: auto; }
.graph g.node.account { cursor: pointer; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin: .5rem 0; }
.controls input[type=search] { font: inherit; padding: .35rem .6rem; min-width: 18rem; border: 1px solid #9ca3af; border-radius: .35rem; }
.chip { font: inherit; font-size: .85rem; padding: .15rem .6rem; border: 1px solid #9ca3af; border-radius: 1rem; background: #fff; cursor: pointer; }
.chip[aria-pressed=true] { background: #1e3a8a; border-color: #1e3a8a; color: #fff; }
.count { color: #4b5563; font-size: .85rem; }
table.report { border-collapse: collapse; width: 100%; font-size: .9rem; background: #fff; border: 1px solid #e5e7eb; }
table.report th, table.report td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e5e7eb; }
table.report th { background: #f3f4f6; position: sticky; top: 0; }
table.report th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
table.report th[aria-sort=ascending] button::after { content: " \\25B2"; }
table.report th[aria-sort=descending] button::after { content: " \\25BC"; }
tr.conflict td:first-child { border-left: 4px solid var(--conflict); }
tr.stale td:first-child { border-left: 4px solid var(--stale); }
.tag { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .4rem; border-radius: .25rem; margin: 0 .2rem .1rem 0; border: 1px solid; }
.tag.conflict { color: var(--conflict); background: var(--conflict-bg); border-color: var(--conflict); }
.tag.stale { color: var(--stale); background: var(--stale-bg); border-color: var(--stale); }
.tag.plain { color: #374151; background: #f3f4f6; border-color: #d1d5db; }
details summary { cursor: pointer; }
ul.plain { margin: .25rem 0; padding-left: 1.1rem; }
.muted { color: #6b7280; }
`;
