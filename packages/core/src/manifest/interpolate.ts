import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { Secret } from '../secret.js';
import { MANIFEST_LIMITS } from './limits.js';
import { isPlainObject, mapChildren } from './plain-data.js';
import { childPointer, dottedPath } from './pointer.js';
import type { SourcePosition } from './types.js';

/** Any `${env:…}` or `${file:…}` inside a string. */
const ANY_REFERENCE = /\$\{(env|file):/;
/** A string that is exactly one reference. */
const WHOLE_REFERENCE = /^\$\{(env|file):([^}]*)\}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InterpolateRequest {
  /** A whole manifest document, as parsed. */
  value: unknown;
  /** Absolute directory of the manifest file: `${file:PATH}` is relative to it. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  /**
   * Resource documents (not Provider ones): their `credentials` name where a secret the system
   * generates is to be stored, so an unset variable or a missing file is a place not filled yet.
   */
  allowPending?: boolean;
  /**
   * Provider documents: an unset variable or an unreadable file is not an error here but a
   * `Secret.unresolved` holding that error, reported only if a command signs in with its set
   * (`credentialsFor`). A malformed or misplaced reference is still an error at load.
   */
  deferUnresolved?: boolean;
  /** Position of a JSON pointer of the document, for diagnostics. */
  positionOf(pointer: string): SourcePosition;
}

/**
 * Replace each `${env:NAME}` and `${file:PATH}` inside a `credentials` block (the value of any key
 * named `credentials`, at any depth of `spec`) by a `Secret` with origin `env:NAME` or
 * `file:<absolute path>` (absolute so a saved plan can read it again from any directory).
 *
 * Rules, each broken one a diagnostic at the value's line:
 * - outside credentials such a reference is refused: it would copy a local secret or file into a
 *   remote system;
 * - inside credentials every string must be exactly one reference: a literal would be a secret
 *   committed to git. Other values (`rotateAfterDays: 90`) are left as they are;
 * - an unset variable or unreadable file is named (never its value); with `deferUnresolved` that
 *   error is kept in a `Secret.unresolved` instead, for the connection step to report if it needs it.
 *
 * The input is not modified: the result has secrets in place, and shares the parts without any.
 */
export function interpolateCredentials(req: InterpolateRequest): {
  value: unknown;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const report = (
    pointer: string,
    code: string,
    message: string,
    severity: Diagnostic['severity'] = 'error',
  ) => diagnostics.push({ severity, code, message, ...req.positionOf(pointer) });
  /** An unset variable or unreadable file: an error now, or kept in the secret for later. */
  const unresolved = (pointer: string, origin: string, code: string, message: string, value: string) => {
    if (!req.deferUnresolved) {
      report(pointer, code, message);
      return value;
    }
    return Secret.unresolved(origin, { severity: 'error', code, message, ...req.positionOf(pointer) });
  };

  const secretOf = (value: string, pointer: string): unknown => {
    const m = WHOLE_REFERENCE.exec(value.trim());
    if (!m) {
      report(
        pointer,
        ANY_REFERENCE.test(value) ? 'manifest.interpolation' : 'manifest.literal-secret',
        ANY_REFERENCE.test(value)
          ? `${dottedPath(pointer)} must be exactly one \${env:NAME} or \${file:PATH}, with nothing around it`
          : 'literal secret in a manifest: use ${env:NAME} or ${file:PATH}',
      );
      return value;
    }
    const scheme = m[1] as 'env' | 'file';
    const ref = m[2] ?? '';
    if (scheme === 'env') {
      if (!ENV_NAME.test(ref)) {
        report(pointer, 'manifest.interpolation', `\${env:${ref}}: not a valid environment variable name`);
        return value;
      }
      const v = req.env[ref];
      if (v === undefined && req.allowPending) return Secret.pending(`env:${ref}`);
      if (v === undefined) {
        return unresolved(
          pointer,
          `env:${ref}`,
          'manifest.env-unset',
          `environment variable ${ref} is not set`,
          value,
        );
      }
      if (v === '') report(pointer, 'manifest.env-empty', `environment variable ${ref} is empty`, 'warning');
      return new Secret(v, `env:${ref}`);
    }
    if (ref === '') {
      report(pointer, 'manifest.interpolation', '${file:}: give the path of the file holding the value');
      return value;
    }
    const file = path.resolve(req.baseDir, ref);
    if (req.allowPending && !existsSync(file)) return Secret.pending(`file:${file}`);
    const problem = unreadable(file);
    const origin = `file:${file}`;
    const cannot = (why: string) =>
      unresolved(
        pointer,
        origin,
        'manifest.file-unreadable',
        `cannot read credentials file ${ref}: ${why}`,
        value,
      );
    if (problem) return cannot(problem);
    try {
      return new Secret(readFileSync(file, 'utf8').replace(/\r?\n$/, ''), origin);
    } catch (err) {
      return cannot(reason(err));
    }
  };

  const walk = (value: unknown, pointer: string, inSpec: boolean, inCredentials: boolean): unknown => {
    if (typeof value === 'string') {
      if (inCredentials) return secretOf(value, pointer);
      const m = ANY_REFERENCE.exec(value);
      if (m) {
        report(
          pointer,
          'manifest.interpolation',
          `\${${m[1]}:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system`,
        );
      }
      return value;
    }
    if (Array.isArray(value)) {
      return mapChildren(value, (v, i) => walk(v, childPointer(pointer, i), inSpec, inCredentials));
    }
    if (isPlainObject(value)) {
      return mapChildren(value, (v, k) => {
        const childInSpec = inSpec || (pointer === '' && k === 'spec');
        const childInCredentials = inCredentials || (inSpec && k === 'credentials');
        return walk(v, childPointer(pointer, k), childInSpec, childInCredentials);
      });
    }
    return value;
  };

  return { value: walk(req.value, '', false, false), diagnostics };
}

/** Why `file` cannot be a credentials file, or undefined when it can be read. */
function unreadable(file: string): string | undefined {
  try {
    const st = statSync(file);
    if (!st.isFile()) return 'not a regular file';
    if (st.size > MANIFEST_LIMITS.maxSecretFileBytes) {
      return `larger than ${MANIFEST_LIMITS.maxSecretFileBytes / 1024} KiB`;
    }
    return undefined;
  } catch (err) {
    return reason(err);
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? 'unknown error';
}
