import { isSecret, SENSITIVE_PLACEHOLDER } from '../secret.js';

/** A value as one short line for messages. */
export function fmt(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (isSecret(value)) return SENSITIVE_PLACEHOLDER;
  if (typeof value === 'string') return JSON.stringify(value);
  // Through JSON and back first: a secret nested in the value prints as its placeholder.
  return JSON.stringify(JSON.parse(JSON.stringify(value)));
}
