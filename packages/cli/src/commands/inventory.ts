import {
  hasErrors,
  type InventoryReport,
  inventoryBlocking,
  renderBaton,
  renderInventoryCsv,
  renderInventoryHtml,
  renderInventoryText,
} from '@roster/core';
import { Command, Option } from 'commander';
import {
  type CommonOptions,
  loadValidProjectFor,
  runContext,
  withAllowEmptyStateOption,
  withApiBudgetOption,
  withCommonOptions,
} from '../context.js';
import { out, printDiagnostics, useColor } from '../output.js';
import { refreshInventory } from '../refresh-inventory.js';

/**
 * The formats `--format` takes, each a renderer of the report (async allowed: a renderer may load
 * what it embeds). Adding a format is one entry here.
 */
const RENDERERS = {
  text: (report, opts) => renderInventoryText(report, { color: opts.color }),
  json: (report) => JSON.stringify(report, null, 2),
  // csv-stringify ends the last record with a newline; `out` adds one.
  csv: (report) => renderInventoryCsv(report).replace(/\n$/, ''),
  // ConductorOne's baton-file connector reads it as JSON: save it under a `.json` name.
  baton: (report) => renderBaton(report),
  // One self-contained page (README, "The HTML report"); its graph is drawn here, in Node.
  html: (report) => renderInventoryHtml(report),
} satisfies Record<string, (report: InventoryReport, opts: { color: boolean }) => string | Promise<string>>;

type InventoryFormat = keyof typeof RENDERERS;

interface InventoryOptions extends CommonOptions {
  format: InventoryFormat;
  staleDays?: number;
  allowEmptyState?: boolean;
}

function staleDaysOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new Error(`--stale-days must be a whole number of days, 1 or more, got ${value}`);
  return n;
}

export function inventoryCommand(setExit: (code: number) => void): Command {
  return withAllowEmptyStateOption(withApiBudgetOption(withCommonOptions(new Command('inventory'))))
    .description(
      'list every account and connection the systems hold — managed, unmanaged, deactivated — with owner, roles, effective permissions, credential age, last use and drift; stale and ownerless accounts are findings',
    )
    .addOption(
      new Option(
        '--format <format>',
        'output format on stdout (json: schemas/inventory.schema.json; baton: the input file of ConductorOne baton-file)',
      )
        .choices(Object.keys(RENDERERS))
        .default('text'),
    )
    .addOption(
      new Option(
        '--stale-days <n>',
        'days without use after which an account is stale (default: policy inventory.stale option days, else 90)',
      ).argParser(staleDaysOption),
    )
    .addHelpText(
      'after',
      `
The systems are read (refresh, every kind listed, read-only credentials) and every object of an
account or connector kind is listed: those the manifests declare, those they do not (unmanaged,
with no owner), and deactivated ones. "Last used" is the system's own record where it keeps one
(the field is named), else the last successful roster test sign-in (labelled "roster test"), else
unknown (never stale; the output says why). Policy rules inventory.stale and inventory.no-owner
(warnings by default) take a severity, exceptions, and inventory.stale the option days.

Exit codes: 0 listed · 2 a finding or SoD conflict of severity error that no exception covers
· 1 an error (manifests, state, a system).

Examples:
  $ roster inventory -f examples/company
  $ roster inventory --format csv > inventory.csv
  $ roster inventory --format baton > access.json; test $? -ne 1    # baton-file --input access.json
  $ roster inventory --format html > inventory.html
  $ roster inventory --format json --stale-days 30 > inventory.json; test $? -ne 1`,
    )
    .action(async (opts: InventoryOptions) => {
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      const report = await refreshInventory(
        {
          command: 'inventory',
          opts,
          ctx,
          project,
          ...(opts.staleDays !== undefined ? { staleAfterDays: opts.staleDays } : {}),
        },
        ({ inventory }) => inventory,
      );
      out(await RENDERERS[opts.format](report, { color: useColor(process.stdout, opts.color) }));
      printDiagnostics(report.diagnostics);
      setExit(hasErrors(report.diagnostics) ? 1 : inventoryBlocking(report) ? 2 : 0);
    });
}
