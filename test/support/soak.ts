/**
 * Soak-scale runs: `pnpm test:soak` (vitest.soak.config.ts) sets ROSTER_SOAK=1, and the tests that
 * read it run their full size (dozens of SIGKILLs, thousands of fuzz cases). `pnpm test` runs a
 * smaller instance of the same code path, so the default suite stays fast.
 */
export const SOAK = process.env['ROSTER_SOAK'] === '1';

/** `quick` in the default suite, `soak` under `pnpm test:soak`. */
export function soakScale<T>(quick: T, soak: T): T {
  return SOAK ? soak : quick;
}
