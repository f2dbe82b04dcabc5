import { readFile } from 'node:fs/promises';
import { type AuditEntry, auditPath } from './audit.js';

/**
 * The audit log of `stateDir` (`.roster/audit.jsonl`), oldest first: none when the file does not
 * exist (no apply yet). A line that does not parse (a crash mid-write) is skipped, not fatal: the
 * log is evidence, and the lines around it still are.
 */
export async function readAuditLog(stateDir: string): Promise<AuditEntry[]> {
  let text: string;
  try {
    text = await readFile(auditPath(stateDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as AuditEntry;
      if (entry && typeof entry === 'object' && typeof entry.type === 'string') out.push(entry);
    } catch {
      // A torn last line: skipped.
    }
  }
  return out;
}
