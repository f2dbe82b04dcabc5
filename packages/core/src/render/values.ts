import { isRef } from '../plan/canonical.js';

/** A value on one line, as plans print it: strings quoted, references as `ref:name`. */
export function inline(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (isRef(value)) {
    const output = (value as { output?: unknown }).output;
    return typeof output === 'string' ? `ref:${value.ref}.${output}` : `ref:${value.ref}`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${inline(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Words for an action, as in "will be created". */
export const ACTION_PHRASE: Record<string, string> = {
  create: 'will be created',
  update: 'will be updated in place',
  replace: 'must be replaced',
  deactivate: 'will be deactivated',
  delete: 'will be deleted',
  rotate: 'will have its credentials rotated',
  import: 'will be adopted into state',
  'no-op': 'has no changes',
};

export const ACTION_SYMBOL: Record<string, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  deactivate: '⊘',
  delete: '-',
  rotate: '↻',
  import: '←',
  'no-op': ' ',
};
