import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { Secret } from '../secret.js';
import type { SourcePosition } from './types.js';

const REFERENCE = /\$\{(env|file):([^}]*)\}/;
const WHOLE_REFERENCE = /^\$\{(env|file):([^}]+)\}$/;

export interface InterpolateRequest {
  value: unknown;
  /** Absolute directory of the manifest file (`${file:…}` paths are relative to it). */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  locate(pointer: string): SourcePosition;
}

/**
 * Replace `${env:NAME}` and `${file:PATH}` inside `credentials` blocks with `Secret` values.
 * Anywhere else such a reference is an error (it would copy a local secret or file into a remote
 * system), and so is a literal string inside a credentials block (a secret committed to git).
 */
export function interpolateCredentials(req: InterpolateRequest): {
  value: unknown;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const error = (pointer: string, code: string, message: string) => {
    const pos = req.locate(pointer);
    diagnostics.push({
      severity: 'error',
      code,
      message,
      file: pos.file,
      line: pos.line,
      column: pos.column,
    });
  };

  const walk = (value: unknown, pointer: string, inCredentials: boolean): unknown => {
    if (typeof value === 'string') {
      if (!inCredentials) {
        if (REFERENCE.test(value)) {
          error(
            pointer,
            'manifest.interpolation',
            `\${env:…} and \${file:…} are only allowed inside a credentials block: here they would copy a local secret or file into a remote system`,
          );
        }
        return value;
      }
      const m = WHOLE_REFERENCE.exec(value.trim());
      if (!m) {
        error(
          pointer,
          'manifest.literal-secret',
          'literal secret in a manifest: write ${env:NAME} or ${file:PATH} so the value stays out of git',
        );
        return value;
      }
      const [, scheme, ref] = m as unknown as [string, 'env' | 'file', string];
      if (scheme === 'env') {
        const v = req.env[ref];
        if (v === undefined) {
          error(pointer, 'manifest.env-unset', `environment variable ${ref} is not set`);
          return value;
        }
        return new Secret(v, `env:${ref}`);
      }
      const file = path.resolve(req.baseDir, ref);
      try {
        return new Secret(readFileSync(file, 'utf8').replace(/\r?\n$/, ''), `file:${file}`);
      } catch {
        error(pointer, 'manifest.file-unreadable', `cannot read credentials file ${ref}`);
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${pointer}/${i}`, inCredentials));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const child = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        out[k] = walk(v, child, inCredentials || (k === 'credentials' && pointer.startsWith('/spec')));
      }
      return out;
    }
    return value;
  };

  return { value: walk(req.value, '', false), diagnostics };
}
