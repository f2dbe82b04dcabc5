import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMismatches, kindCapabilities } from '../kind-operations.js';
import type { KindDefinition } from '../provider.js';
import type { ContractFixture, ContractSandbox } from './contract-types.js';
import { faultContract } from './fault-contract.js';
import { KindLife } from './kind-life.js';
import { readOnlyContract } from './read-only-contract.js';
import { Seen } from './seen.js';

/**
 * Run the provider contract as vitest tests, one row per check: for every kind, per its declared
 * capabilities and removal mode, create → read back → no change planned → update → read back →
 * drift made behind roster's back is seen → removal → gone or deactivated; manual operations give
 * a runbook step and are never attempted by API; faults are retried or reported in one clean line;
 * read-only credentials cannot write; no secret shows in objects, errors or logs.
 */
export function providerContract<S extends ContractSandbox>(fixture: ContractFixture<S>): void {
  const { provider } = fixture;
  const seen = new Seen(fixture.secrets);

  describe(`provider contract: ${provider.type}`, () => {
    it('has a sample for every kind it declares', () => {
      expect(Object.keys(fixture.kinds).sort()).toEqual(Object.keys(provider.kinds).sort());
    });

    it('implements by API exactly what its kinds declare api: no missing method, no stub', async () => {
      const sandbox = await fixture.sandbox();
      try {
        const conn = await sandbox.connect({ log: seen.log });
        try {
          expect(apiMismatches(provider.kinds, conn)).toEqual([]);
        } finally {
          await conn.close();
        }
      } finally {
        await sandbox.close();
      }
    });

    for (const [kind, def] of Object.entries(provider.kinds)) {
      const sample = fixture.kinds[kind];
      if (sample) kindContract(new KindLife(fixture, kind, def, sample, seen));
    }

    faultContract(fixture, seen);
    readOnlyContract(fixture, seen);

    it('never shows a secret in returned objects, errors or logs', () => {
      expect(seen.secrets.length, 'the fixture names the secrets to look for').toBeGreaterThan(0);
      expect(seen.texts.length + seen.lines.length).toBeGreaterThan(0);
      expect(seen.leaks()).toEqual([]);
    });
  });
}

/** The rows of one kind, in the order of its life. */
function kindContract<S extends ContractSandbox>(life: KindLife<S>): void {
  const def: KindDefinition = life.def;
  const c = kindCapabilities(def);
  const perAttribute = Object.values(def.attributes).some((r) => r.update) ? ', per attribute' : '';
  describe(`${life.kind} (create ${c.create}, read ${c.read}, update ${c.update}, removal ${def.deleteMode})`, () => {
    beforeAll(() => life.start());
    afterAll(() => life.stop());

    it('gives a runbook step for every manual operation and attribute', () => life.runbooks());
    it('never calls the API for what it declares manual or impossible', () => life.refusals());
    it(`creates it (${c.create})`, () => life.create());
    it(
      life.readable
        ? 'reads back what was declared'
        : 'confirms what was declared (read: none, through the operator)',
      () => life.verify(),
    );
    it.skipIf(!life.readable)('plans no change right after', () => life.noChange());
    it(`updates it (${c.update}${perAttribute})`, () => life.update());
    it(life.readable ? 'reads back the update' : 'confirms the update (through the operator)', async () => {
      await life.verify();
      if (life.readable) life.noChange();
    });
    it(`sees ${life.sample.drift.attribute} changed behind roster's back as drift`, () => life.drift());
    const removing = def.deleteMode === 'deactivate' ? 'deactivates' : 'deletes';
    it(`${removing} it when removed (${life.removal})`, () => life.remove());
    it(def.deleteMode === 'deactivate' ? 'reads it as deactivated' : 'reads it as gone', () =>
      life.removed(),
    );
  });
}
