import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JournalEntry, journalPath, rewriteJournal } from './journal.js';
import { readRunJournal, unfinishedAddresses } from './reconcile.js';

const base = { at: 't', provider: 'books', kind: 'ServiceAccount', naturalKey: 'N', operation: 'create' };
const intent = (runId: string, seq: number, address: string): JournalEntry => ({
  ...base,
  runId,
  seq,
  address,
  phase: 'intent',
});
const done = (runId: string, seq: number, of: number, address: string): JournalEntry => ({
  ...base,
  runId,
  seq,
  address,
  phase: 'done',
  id: '1',
  intentSeq: of,
});

const storeOf = (entries: JournalEntry[]) => ({
  append: async () => {},
  read: async () => entries,
  replace: async () => {},
});

describe('the journal a run reconciles (issue 16, item 3)', () => {
  it('is the local file with the local backend, the team backend copy with a team backend (a local file then only counted)', async () => {
    const file = journalPath(mkdtempSync(path.join(tmpdir(), 'roster-reconcile-')));
    await rewriteJournal(file, [intent('local', 1, 'books/ServiceAccount/a')]);
    const local = await readRunJournal(file, {});
    expect(unfinishedAddresses(local.entries)).toEqual(['books/ServiceAccount/a']);
    expect(local.ignoredLocal).toBe(0);

    const shared = [
      intent('team', 1, 'books/ServiceAccount/b'),
      done('team', 2, 1, 'books/ServiceAccount/b'),
      intent('team', 3, 'books/ServiceAccount/c'),
    ];
    const team = await readRunJournal(file, { journal: storeOf(shared) });
    expect(unfinishedAddresses(team.entries)).toEqual(['books/ServiceAccount/c']);
    expect(team.ignoredLocal).toBe(1);
  });

  it('with a team backend, needs no state directory (a fresh checkout)', async () => {
    const missing = journalPath(path.join(tmpdir(), 'roster-no-such-dir', String(process.pid), '.roster'));
    const r = await readRunJournal(missing, {
      journal: storeOf([intent('team', 1, 'books/ServiceAccount/x')]),
    });
    expect(unfinishedAddresses(r.entries)).toEqual(['books/ServiceAccount/x']);
    expect(r.ignoredLocal).toBe(0);
  });
});
