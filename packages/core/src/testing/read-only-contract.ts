import { expect, it } from 'vitest';
import { apiMethod, kindCapabilities, kindSession } from '../kind-operations.js';
import { CONTRACT_PROVIDER } from './compare.js';
import type { ContractFixture, ContractSandbox } from './contract-types.js';
import { sampleAttributes } from './samples.js';
import { rejection, type Seen } from './seen.js';

/** Signed in with `credentials.read`, a connection reads, and a write is refused in one clear line. */
export function readOnlyContract<S extends ContractSandbox>(fixture: ContractFixture<S>, seen: Seen): void {
  const entry = Object.entries(fixture.provider.kinds).find(
    ([kind, def]) =>
      fixture.kinds[kind] && kindCapabilities(def).create === 'api' && kindCapabilities(def).read === 'api',
  );
  it.skipIf(!fixture.readOnlyCredentials || !entry)(
    'refuses writes with read-only credentials, in one clear line',
    async () => {
      const [kind] = entry!;
      const sandbox = await fixture.sandbox();
      seen.secrets.push(...(sandbox.secrets ?? []));
      const conn = kindSession(
        fixture.provider.kinds,
        await sandbox.connect({ log: seen.log, readCredentials: true }),
      );
      try {
        const before = seen.object((await apiMethod(conn, 'list', kind)({ kind })).objects);
        const desired = await sampleAttributes(fixture.kinds[kind]!.create, { conn, sandbox });
        const address = `${CONTRACT_PROVIDER}/${kind}/read-only`;
        const err = await rejection(
          apiMethod(
            conn,
            'create',
            kind,
          )({ kind, address, attributes: desired, idempotencyKey: 'contract-ro' }),
        );
        expect(err, 'a write with read-only credentials is refused').toBeDefined();
        expect(seen.error(err).message, 'says why').toMatch(
          /read-only|not allowed|not authori[sz]ed|permission|forbidden|403/i,
        );
        expect((await apiMethod(conn, 'list', kind)({ kind })).objects, 'nothing was written').toHaveLength(
          before.length,
        );
      } finally {
        await conn.close();
        await sandbox.close();
      }
    },
  );
}
