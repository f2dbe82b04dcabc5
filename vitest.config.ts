import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/** A provider package's two entries, `./sandbox` first (an alias also matches longer names). */
function provider(name: string): Record<string, string> {
  return {
    [`@roster/provider-${name}/sandbox`]: fileURLToPath(
      new URL(`./packages/provider-${name}/src/sandbox/index.ts`, import.meta.url),
    ),
    [`@roster/provider-${name}`]: src(`provider-${name}`),
  };
}

/** What every project of the suite (and the soak run, vitest.soak.config.ts) shares. */
export const shared = {
  resolve: {
    // Unit tests run against sources; end-to-end tests in test/ run the built CLI.
    // `@roster/core/testing` first: an alias also matches what starts with its name and a slash.
    alias: {
      '@roster/core/testing': fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)),
      '@roster/core': src('core'),
      '@roster/sim-kit': src('sim-kit'),
      '@roster/http': src('http'),
      ...provider('afas'),
      ...provider('autotask'),
      ...provider('getint'),
      ...provider('intacct'),
      ...provider('proliance'),
      ...provider('scim'),
      '@roster/state-postgres': src('state-postgres'),
    },
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks' as const,
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          // The unit tests share their workers' module cache instead of importing the sources anew
          // for each of the 110 files: 69 → 26 CPU seconds (docs/design-notes.md, "A fast suite").
          isolate: false,
        },
      },
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // Bounds that catch a hang only: a test of a dozen CLI runs took over 60 s on a machine
          // saturated by other jobs (load 17 on 2 cores), and must not fail for that.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
    // Once for the whole run (not per project), providing to both:
    // records what end-to-end runs print and write, and scans it all for credentials at the end;
    // a throwaway PostgreSQL cluster for the team state backend's tests (test/setup/postgres.ts).
    globalSetup: ['test/global-setup.ts', 'test/setup/postgres.ts'],
    // One worker per core (vitest's default leaves one core idle: 1 worker on the 2-core CI
    // machines). Measured on a quiet 2-core machine, whole default suite: 302 s → 150 s. Every
    // test waits on events, not elapsed time, so a busier machine slows it but cannot fail it.
    maxWorkers: availableParallelism(),
    // The JSON report gives .ci/run the totals it prints last.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
