import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Secret } from '../secret.js';

/**
 * Write a secret a system showed once to the place a resource's `credentials` name, and nowhere
 * else: a `file:` path is written atomically with mode 0600 (its directory 0700 when created); an
 * `env:` variable cannot be set from here, so the reason is returned for the operator.
 */
export async function storeSecret(origin: string, value: Secret): Promise<string | undefined> {
  if (origin.startsWith('file:')) {
    const file = origin.slice(5);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, `${value.reveal()}\n`, { mode: 0o600 });
    return undefined;
  }
  if (origin.startsWith('env:'))
    return `roster cannot set the environment variable ${origin.slice(4)}; use \${file:PATH} in credentials to have it stored`;
  return `unknown place ${origin}`;
}
