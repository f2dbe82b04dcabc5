import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../diagnostics.js';
import { stableStringify } from './canonical.js';
import {
  PLAN_KEY_ENV,
  planChecksum,
  planKeyFromEnv,
  planSignature,
  sameSignature,
} from './plan-signature.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

/**
 * A saved plan: the plan document plus a checksum of its content and, when `ROSTER_PLAN_KEY` was
 * set, an HMAC-SHA256 signature of it.
 */
export interface PlanFile extends Plan {
  checksum: string;
  /** `hmac-sha256:<hex>` over the same canonical text as `checksum`, keyed by `ROSTER_PLAN_KEY`. */
  signature?: string;
}

/** Options of `writePlanFile`. */
export interface WritePlanFileOptions {
  /** Sign with this key; default `ROSTER_PLAN_KEY` (none: only a checksum). */
  key?: string | undefined;
}

/** Options of `readPlanFile`. */
export interface ReadPlanFileOptions {
  /** Verify with this key; default `ROSTER_PLAN_KEY`. With a key, an unsigned plan is refused. */
  key?: string | undefined;
  /** Where the warning about a plan that cannot be authenticated goes; default stderr. */
  warn?: (message: string) => void;
}

/** The text checksum and signature cover: the plan without them, keys sorted. */
function canonicalText(doc: Plan): string {
  const { checksum: _c, signature: _s, ...rest } = doc as PlanFile;
  return stableStringify(rest);
}

/** Save a plan for a later `roster apply FILE` (mode 0600: it names accounts and systems), signed when a key is set. */
export async function writePlanFile(
  file: string,
  plan: Plan,
  opts: WritePlanFileOptions = {},
): Promise<void> {
  const key = 'key' in opts ? opts.key : planKeyFromEnv();
  const text = canonicalText(plan);
  const doc: PlanFile = { ...plan, checksum: planChecksum(text) };
  if (key !== undefined) doc.signature = planSignature(text, key);
  await writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Read a saved plan, refusing one that is not a plan, is of another format version, or was altered.
 * With a key (`ROSTER_PLAN_KEY`) the signature must be there and match; without one only the
 * checksum can be checked, and a warning says the plan is not authenticated.
 */
export async function readPlanFile(file: string, opts: ReadPlanFileOptions = {}): Promise<Plan> {
  const key = 'key' in opts ? opts.key : planKeyFromEnv();
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
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
  const canonical = canonicalText(doc);
  if (key !== undefined) {
    if (typeof doc.signature !== 'string') {
      throw new UserError(
        `${file} is not signed, but ${PLAN_KEY_ENV} is set: refusing a plan that cannot be authenticated. Make the plan with the same ${PLAN_KEY_ENV} (in CI, the plan job and the apply job share it as a secret)`,
      );
    }
    if (!sameSignature(doc.signature, planSignature(canonical, key))) {
      throw new UserError(
        `${file} failed its signature check: it was modified after it was saved, or signed with another ${PLAN_KEY_ENV}; make a new plan`,
      );
    }
  }
  if (typeof doc.checksum !== 'string' || !sameSignature(doc.checksum, planChecksum(canonical))) {
    throw new UserError(`${file} was modified after it was saved (checksum mismatch); make a new plan`);
  }
  if (key === undefined) {
    warn(
      typeof doc.signature === 'string'
        ? `${file} is signed, but ${PLAN_KEY_ENV} is not set: only its checksum was verified, which does not prove who wrote it. Set ${PLAN_KEY_ENV} to the key of the plan job`
        : `${file} is not authenticated: only its checksum was verified, which anyone editing the file can recompute. Set ${PLAN_KEY_ENV} (a secret shared by the plan and apply jobs) to sign and verify plans`,
    );
  }
  const { checksum: _c, signature: _s, ...plan } = doc;
  return plan;
}
