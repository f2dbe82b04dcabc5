import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Unit tests run against sources; end-to-end tests in test/ run the built CLI.
    // `@roster/core/testing` first: an alias also matches what starts with its name and a slash.
    alias: {
      '@roster/core/testing': fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)),
      '@roster/core': src('core'),
      '@roster/sim-kit': src('sim-kit'),
      '@roster/http': src('http'),
      '@roster/provider-afas': src('provider-afas'),
      '@roster/provider-autotask': src('provider-autotask'),
      '@roster/provider-getint': src('provider-getint'),
      '@roster/provider-intacct': src('provider-intacct'),
      '@roster/provider-proliance': src('provider-proliance'),
      '@roster/state-postgres': src('state-postgres'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Records what end-to-end runs print and write, and scans it all for credentials at the end.
    // A throwaway PostgreSQL cluster for the team state backend's tests (test/setup/postgres.ts).
    globalSetup: ['test/global-setup.ts', 'test/setup/postgres.ts'],
    // The JSON report gives .ci/run the totals it prints last.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
