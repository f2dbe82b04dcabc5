import type { Diagnostic } from '../diagnostics.js';
import { childPointer } from '../manifest/pointer.js';
import type { SourcePosition } from '../manifest/types.js';

/** A tenant variable's value: what `${tenant.NAME}` is replaced with. */
export type TenantVariable = string | number | boolean;

const PLACEHOLDER = /\$\{tenant\.([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Where placeholders are filled: `metadata.name` and any value under `spec` outside a credentials block. */
function fillable(pointer: string): 'yes' | 'credentials' | 'no' {
  if (pointer === '/metadata/name') return 'yes';
  if (!pointer.startsWith('/spec/')) return 'no';
  return pointer.split('/').includes('credentials') ? 'credentials' : 'yes';
}

export interface FillRequest {
  /** A parsed document (plain data; not changed). */
  value: unknown;
  variables: Readonly<Record<string, TenantVariable>>;
  /** Position of the value at a JSON pointer (the document's source map). */
  positionOf(pointer: string): SourcePosition;
  /** The text of a line of the document's file (1-based), to place a placeholder at its column. */
  lineText?(line: number): string | undefined;
  /** `Tenant <name>`, for messages. */
  tenant: string;
}

/**
 * Replace every `${tenant.NAME}` with the tenant's variable. A string that is exactly one
 * placeholder takes the variable's type (a number stays a number). A placeholder in a credentials
 * block, outside `spec` and `metadata.name`, or naming a variable the tenant does not set is an
 * error at the placeholder's line and column. Pure: returns a new value.
 */
export function fillPlaceholders(req: FillRequest): { value: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (pointer: string, text: string, message: string) => {
    const at = req.positionOf(pointer);
    diagnostics.push({ severity: 'error', code: 'fleet.placeholder', message, ...placeAt(at, text, req) });
  };
  const fillString = (s: string, pointer: string): unknown => {
    if (!s.includes('${tenant.')) return s;
    const where = fillable(pointer);
    const whole = s.match(/^\$\{tenant\.([^}]*)\}$/);
    let failed = false;
    const replaced = s.replace(PLACEHOLDER, (text, name: string) => {
      if (where === 'credentials') {
        report(
          pointer,
          text,
          `${text} in a credentials block: credentials come from the Tenant document's providers, as \${env:…} or \${file:…}`,
        );
        failed = true;
      } else if (where === 'no') {
        report(
          pointer,
          text,
          `${text}: tenant placeholders are filled only in spec values and metadata.name`,
        );
        failed = true;
      } else if (!NAME.test(name)) {
        report(pointer, text, `${text}: not a valid variable name`);
        failed = true;
      } else if (!Object.hasOwn(req.variables, name)) {
        const known = Object.keys(req.variables).sort();
        report(
          pointer,
          text,
          `${text}: tenant ${req.tenant} sets no variable ${name} (it sets: ${known.length > 0 ? known.join(', ') : 'none'})`,
        );
        failed = true;
      } else return String(req.variables[name]);
      return text;
    });
    if (failed) return s;
    if (whole && whole[1] !== undefined && Object.hasOwn(req.variables, whole[1]))
      return req.variables[whole[1]];
    return replaced;
  };
  const walk = (v: unknown, pointer: string): unknown => {
    if (typeof v === 'string') return fillString(v, pointer);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${pointer}/${i}`));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, childPointer(pointer, k));
      return out;
    }
    return v;
  };
  return { value: walk(req.value, ''), diagnostics };
}

/** Whether a parsed document holds any tenant placeholder. */
export function hasPlaceholders(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${tenant.');
  if (Array.isArray(value)) return value.some(hasPlaceholders);
  if (value && typeof value === 'object') return Object.values(value).some(hasPlaceholders);
  return false;
}

/**
 * The placeholder's own column when it is on the value's line (a plain or quoted scalar), else the
 * value's position (a block scalar spans lines).
 */
function placeAt(at: SourcePosition, placeholder: string, req: FillRequest): SourcePosition {
  const line = req.lineText?.(at.line);
  const column = line === undefined ? -1 : line.indexOf(placeholder, at.column - 1);
  return column >= 0 ? { ...at, column: column + 1 } : at;
}
