import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory/build.js';
import { kindOf, NOW, providers, refreshPlan, settings, world } from '../inventory/fixture.testing.js';
import { INVENTORY_CSV_COLUMNS, renderInventoryCsv } from './inventory-csv.js';

function report() {
  const { desired, state, remote } = world();
  // A label a spreadsheet would run as a formula, as anyone able to edit a manifest could write.
  desired[0]!.labels.purpose = '=HYPERLINK("http://evil.example","invoices")';
  return buildInventory({
    project: { desired, providers, policies: settings(), kindOf },
    plan: refreshPlan(),
    remote,
    state,
    now: NOW,
  });
}

describe('roster inventory as CSV', () => {
  const csv = renderInventoryCsv(report());
  const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;

  it('a header naming the JSON fields, then one row per account, lists joined with "; "', () => {
    expect(csv.split('\n')[0]).toBe(INVENTORY_CSV_COLUMNS.join(','));
    expect(rows.map((r) => r.address)).toEqual([
      'books/ServiceAccount/HAND',
      'books/ServiceAccount/OLD',
      'books/ServiceAccount/clerk',
      'books/ServiceAccount/gone',
      'hub/Connector/sync-ap',
    ]);
    expect(rows[0]).toMatchObject({
      status: 'unmanaged',
      owner: '',
      roles: 'AP; APPROVE',
      permissions: 'bills: add; bills: approve',
      drift: 'unmanaged',
      'lastUsed.at': '',
      findings: 'inventory.no-owner',
      conflicts: 'sod.finance/enter-approve',
    });
    expect(rows[2]).toMatchObject({
      owner: 'finance-it',
      'credentials.ageDays': '20',
      'credentials.rotationDue': '2026-07-10',
      'attestation.by': 'ops',
      'lastUsed.source': 'system',
      'lastUsed.field': 'lastLogin',
    });
  });

  it('defuses a cell a spreadsheet would run as a formula', () => {
    expect(rows[2]!.purpose).toBe('\'=HYPERLINK("http://evil.example","invoices")');
  });
});
