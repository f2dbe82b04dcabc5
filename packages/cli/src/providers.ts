import type { Provider, SandboxHosts } from '@roster/core';
import afas from '@roster/provider-afas';
import autotask from '@roster/provider-autotask';
import getint from '@roster/provider-getint';
import intacct from '@roster/provider-intacct';
import proliance from '@roster/provider-proliance';
import scim from '@roster/provider-scim';
import type { ProviderSandbox } from '@roster/sim-kit';

/** A built-in provider: the package it comes from (for `roster version`) and how to load its sandbox. */
export interface BuiltinProvider {
  provider: Provider;
  packageName: string;
  /**
   * Its package's `./sandbox` entry, imported only when a Provider document says `endpoint:
   * sandbox` (or for `roster sandbox serve`): the simulator stays out of every other run.
   */
  sandbox?: () => Promise<ProviderSandbox>;
}

/** The built-in providers. */
export const builtinProviderPackages: BuiltinProvider[] = [
  {
    provider: intacct,
    packageName: '@roster/provider-intacct',
    sandbox: () => import('@roster/provider-intacct/sandbox').then((m) => m.default),
  },
  {
    provider: autotask,
    packageName: '@roster/provider-autotask',
    sandbox: () => import('@roster/provider-autotask/sandbox').then((m) => m.default),
  },
  {
    provider: afas,
    packageName: '@roster/provider-afas',
    sandbox: () => import('@roster/provider-afas/sandbox').then((m) => m.default),
  },
  {
    provider: getint,
    packageName: '@roster/provider-getint',
    sandbox: () => import('@roster/provider-getint/sandbox').then((m) => m.default),
  },
  {
    provider: proliance,
    packageName: '@roster/provider-proliance',
    sandbox: () => import('@roster/provider-proliance/sandbox').then((m) => m.default),
  },
  {
    provider: scim,
    packageName: '@roster/provider-scim',
    sandbox: () => import('@roster/provider-scim/sandbox').then((m) => m.default),
  },
];

/** The provider types this build of roster knows, by `spec.type`. */
export const builtinProviders: Provider[] = builtinProviderPackages.map((p) => p.provider);

/** The built-in providers' sandboxes, by provider type (`Connections.open`, `applyProject`). */
export const builtinSandboxes = (async (type: string): Promise<ProviderSandbox | undefined> =>
  builtinProviderPackages.find((p) => p.provider.type === type)?.sandbox?.()) satisfies SandboxHosts;
