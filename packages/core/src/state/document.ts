import { randomUUID } from 'node:crypto';
import { UserError } from '../diagnostics.js';
import { STATE_FORMAT_VERSION, type StateDocument, type StateResource } from './types.js';

/** A new, empty state: a fresh lineage and serial 0. */
export function emptyStateDocument(): StateDocument {
  return { version: STATE_FORMAT_VERSION, lineage: randomUUID(), serial: 0, resources: {} };
}

/**
 * The stored form of a state document: pretty JSON with resources sorted by address, so the file
 * diffs well and two writes of the same document are byte-identical.
 */
export function serializeStateDocument(doc: StateDocument): string {
  const resources: Record<string, StateResource> = {};
  for (const address of Object.keys(doc.resources).sort(compareStrings)) {
    resources[address] = doc.resources[address]!;
  }
  const stored: StateDocument = {
    version: doc.version,
    lineage: doc.lineage,
    serial: doc.serial,
    resources,
  };
  if (doc.pending && Object.keys(doc.pending).length > 0) {
    stored.pending = {};
    for (const address of Object.keys(doc.pending).sort(compareStrings))
      stored.pending[address] = doc.pending[address]!;
  }
  return `${JSON.stringify(stored, null, 2)}\n`;
}

/**
 * Parse and check a stored state document. Anything unreadable is an error naming `source`: state is
 * never silently reset, because an empty state would make roster forget (and later re-create) every
 * object it manages.
 *
 * @param source the file (or other location) the text came from, for messages.
 * @param restoreHint what the user can do about a corrupt document, appended to the message.
 */
export function parseStateDocument(text: string, source: string, restoreHint?: string): StateDocument {
  const corrupt = (why: string): UserError =>
    new UserError(
      `state ${source} is corrupt: ${why}. roster will not overwrite or reset it` +
        (restoreHint ? `; ${restoreHint}` : ''),
    );

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw corrupt(`it is not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(value)) throw corrupt('expected a JSON object');

  const { version, lineage, serial, resources } = value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw corrupt('"version" must be a positive integer');
  }
  if (version > STATE_FORMAT_VERSION) {
    throw new UserError(
      `state ${source} was written by a newer roster (state format ${version}; this roster reads format ${STATE_FORMAT_VERSION} and older). Upgrade roster to use this state.`,
    );
  }
  if (typeof lineage !== 'string' || lineage === '') throw corrupt('"lineage" must be a non-empty string');
  if (typeof serial !== 'number' || !Number.isSafeInteger(serial) || serial < 0) {
    throw corrupt('"serial" must be a non-negative integer');
  }
  if (!isPlainObject(resources)) throw corrupt('"resources" must be an object');

  for (const [address, resource] of Object.entries(resources)) {
    const problem = resourceProblem(resource);
    if (problem) throw corrupt(`resources[${JSON.stringify(address)}]${problem}`);
  }
  const pending = value['pending'];
  if (pending !== undefined) {
    if (!isPlainObject(pending)) throw corrupt('"pending" must be an object');
    for (const [address, step] of Object.entries(pending)) {
      if (
        !isPlainObject(step) ||
        typeof step['operation'] !== 'string' ||
        typeof step['issuedAt'] !== 'string'
      )
        throw corrupt(`pending[${JSON.stringify(address)}] must be an object with operation and issuedAt`);
    }
  }

  return {
    ...value,
    version,
    lineage,
    serial,
    resources: resources as Record<string, StateResource>,
  } as StateDocument;
}

function resourceProblem(resource: unknown): string | undefined {
  if (!isPlainObject(resource)) return ' must be an object';
  for (const key of ['provider', 'kind', 'name', 'id', 'naturalKey'] as const) {
    if (typeof resource[key] !== 'string') return `.${key} must be a string`;
  }
  if (!isPlainObject(resource['attributes'])) return '.attributes must be an object';
  const deps = resource['dependencies'];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
    return '.dependencies must be an array of addresses';
  }
  for (const key of ['remoteFingerprint', 'appliedAt', 'lastSignInAt'] as const) {
    if (resource[key] !== undefined && typeof resource[key] !== 'string') return `.${key} must be a string`;
  }
  if (resource['lifecycle'] !== undefined && !isPlainObject(resource['lifecycle'])) {
    return '.lifecycle must be an object';
  }
  if (resource['attestations'] !== undefined && !isPlainObject(resource['attestations'])) {
    return '.attestations must be an object';
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Code-unit order: stable across locales. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
