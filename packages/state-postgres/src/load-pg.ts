import { UserError } from '@roster/core';
import type pg from 'pg';

let driver: Promise<typeof pg> | undefined;
/** `pg`, imported on first use. It is an optional peer dependency of `@roster/cli`. */
export function loadPg(): Promise<typeof pg> {
  driver ??= import('pg').then(
    (m) => m.default,
    (e: unknown) => {
      driver = undefined;
      throw pgMissingError(e);
    },
  );
  return driver;
}

/**
 * A failed `import('pg')`: when the package is not installed, a `UserError` saying how to install
 * it (the published roster does not install `pg`: only a PostgreSQL backend needs it); else as is.
 */
export function pgMissingError(e: unknown): unknown {
  const err = e as NodeJS.ErrnoException | undefined;
  const missing =
    (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') &&
    /['"]pg['"]/.test(err.message);
  if (!missing) return e;
  return new UserError(
    "the PostgreSQL state backend needs the 'pg' package, which is not installed: " +
      'npm install -g pg@8 (beside a global @roster/cli), or npm install pg@8 beside a local one',
  );
}
