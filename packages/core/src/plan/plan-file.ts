import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../diagnostics.js';
import { stableStringify } from './canonical.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

/** A saved plan: the plan document plus a checksum of its content. */
export interface PlanFile extends Plan {
  checksum: string;
}

function checksumOf(plan: Plan): string {
  const { checksum: _ignored, ...rest } = plan as PlanFile;
  return `sha256:${createHash('sha256').update(stableStringify(rest)).digest('hex')}`;
}

/** Save a plan for a later `roster apply FILE` (mode 0600: it names accounts and systems). */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  const doc: PlanFile = { ...plan, checksum: checksumOf(plan) };
  await writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
}

/** Read a saved plan, refusing one that is not a plan, is of another format version, or was altered. */
export async function readPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`cannot read plan file ${file}`);
  }
  let doc: PlanFile;
  try {
    doc = JSON.parse(text) as PlanFile;
  } catch {
    throw new UserError(`${file} is not a roster plan (not JSON)`);
  }
  if (
    !doc ||
    typeof doc !== 'object' ||
    typeof doc.formatVersion !== 'number' ||
    !Array.isArray(doc.changes)
  ) {
    throw new UserError(`${file} is not a roster plan`);
  }
  if (doc.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new UserError(
      `${file} has plan format ${doc.formatVersion}; this roster reads format ${PLAN_FORMAT_VERSION}`,
    );
  }
  if (doc.checksum !== checksumOf(doc)) {
    throw new UserError(`${file} was modified after it was saved (checksum mismatch); make a new plan`);
  }
  const { checksum: _c, ...plan } = doc;
  return plan;
}
