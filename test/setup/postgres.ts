import type { TestProject } from 'vitest/node';
import { findPostgresBin, startPostgres } from '../support/postgres-server.js';

/** What the PostgreSQL tests get through `inject('postgres')`. */
export type ProvidedPostgres =
  | { available: true; url: string; password: string }
  | { available: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: ProvidedPostgres;
  }
}

const INSTALL = 'install it (Debian/Ubuntu: apt-get install postgresql) and run the tests again';

/**
 * Start one throwaway PostgreSQL cluster for the whole run (loopback, unprivileged user) and stop
 * it at the end. Without PostgreSQL the team-backend tests are skipped with a loud message, except
 * in CI (`CI=true`), where `.ci/run` installs it: there a missing server fails the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const bin = findPostgresBin();
  if (!bin) {
    const reason = `PostgreSQL (initdb, pg_ctl) was not found: the state-postgres tests are SKIPPED; ${INSTALL}`;
    if (process.env.CI === 'true') throw new Error(`CI must run the PostgreSQL tests: ${reason}`);
    console.warn(`\n*** ${reason} ***\n`);
    project.provide('postgres', { available: false, reason });
    return () => undefined;
  }
  const server = await startPostgres(bin);
  project.provide('postgres', { available: true, url: server.url, password: server.password });
  return () => server.stop();
}
