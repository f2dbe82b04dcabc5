import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.js';

/**
 * `pnpm test:soak`: the files whose tests have a soak-scale instance (test/support/soak.ts), run at
 * full size. `pnpm test` runs the same code paths at a smaller size; .ci/run runs both.
 */
export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    include: ['test/kill-apply.test.ts', 'test/fuzz-manifests.test.ts'],
    env: { ROSTER_SOAK: '1' },
    // The recording and the secrets scan; no soak test uses PostgreSQL.
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-soak-report.json' },
  },
});
