import { readFileSync } from 'node:fs';
import type { VersionInfo } from '@roster/core';
import { builtinProviderPackages } from './providers.js';

/**
 * This package's version, from its package.json: one directory up from `src/`, `dist/` and
 * `bundle/` alike, so the installed command, the build and the tests print the released version.
 */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * The versions of the bundled workspace packages, written by `scripts/bundle.js` into
 * `bundle/package-versions.json` (`../bundle/` from `bundle/` and `dist/` alike).
 */
function packageVersions(): Record<string, string> {
  try {
    return JSON.parse(
      readFileSync(new URL('../bundle/package-versions.json', import.meta.url), 'utf8'),
    ) as Record<string, string>;
  } catch {
    return {};
  }
}

/** roster's version, Node's, and each built-in provider's (`unknown` if the build did not record it). */
export function versionInfo(): VersionInfo {
  const versions = packageVersions();
  return {
    roster: VERSION,
    node: process.version,
    providers: builtinProviderPackages.map(({ provider, packageName }) => ({
      type: provider.type,
      displayName: provider.displayName,
      package: packageName,
      version: versions[packageName] ?? 'unknown',
    })),
  };
}
