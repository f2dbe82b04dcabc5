/**
 * Global setup of the test run: gives the end-to-end helpers a directory to record into, and after
 * every test file has run (in whichever worker), scans what they recorded for credential values
 * (`test/secrets-scan.ts`). A leak fails the run, naming the file or stream and the credential,
 * never its value.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type E2eRecord, RECORD_DIR_ENV } from './e2e-record.js';
import { scanRecords } from './secrets-scan.js';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-e2e-records-'));
  // Forked workers inherit the environment of this process.
  process.env[RECORD_DIR_ENV] = dir;
  return () => {
    const records = readRecords(dir);
    rmSync(dir, { recursive: true, force: true });
    if (records.length === 0) return;
    const { leaks, counts } = scanRecords(records);
    console.log(
      `secrets scan: ${counts.credentials} credential values looked for in ${counts.streams} output streams (${counts.streamBytes} bytes) and ${counts.files} files (${counts.fileBytes} bytes)`,
    );
    if (leaks.length > 0) {
      const lines = leaks.slice(0, 50).map((l) => `  - ${l.credential} in ${l.where}`);
      // vitest reports an error thrown here but still exits 0 once every test passed.
      process.exitCode = 1;
      throw new Error(
        `secrets scan: ${leaks.length} credential value(s) found where none may be:\n${lines.join('\n')}`,
      );
    }
  };
}

function readRecords(dir: string): E2eRecord[] {
  const out: E2eRecord[] = [];
  for (const f of readdirSync(dir)) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line !== '') out.push(JSON.parse(line) as E2eRecord);
    }
  }
  return out;
}
