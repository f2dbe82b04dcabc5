import { UserError } from '../diagnostics.js';
import type { StateBackend, StateDocument } from './types.js';
import { withStateLock } from './with-lock.js';

/** What `roster state migrate` did. */
export interface MigrateResult {
  lineage: string;
  resources: number;
  /** Serial of the state in the target after the copy. */
  serial: number;
  /** The target already held exactly this state: nothing was written. */
  unchanged: boolean;
}

/**
 * Copy the state of one backend to another (local file ↔ PostgreSQL), holding both locks. Refuses
 * when the target holds another lineage (another project's state), or a newer serial of the same
 * lineage (the target moved on since). The copy is written with the target's next serial, so plans
 * saved against the source must be made again.
 */
export async function migrateState(req: { from: StateBackend; to: StateBackend }): Promise<MigrateResult> {
  return withStateLock(req.from, 'state migrate', () =>
    withStateLock(req.to, 'state migrate', async () => {
      const source = await req.from.read();
      if (source.serial === 0 && Object.keys(source.resources).length === 0)
        throw new UserError(`${req.from.location} holds no state yet: nothing to migrate`);
      const target = await req.to.read();
      const targetEmpty = target.serial === 0 && Object.keys(target.resources).length === 0;
      if (!targetEmpty && target.lineage !== source.lineage)
        throw new UserError(
          `refusing to migrate: ${req.to.location} already holds state of another lineage (${target.lineage}, serial ${target.serial}) than ${req.from.location} (${source.lineage}); migrate into an empty target or another workspace`,
        );
      const count = Object.keys(source.resources).length;
      if (!targetEmpty && same(target, source))
        return { lineage: source.lineage, resources: count, serial: target.serial, unchanged: true };
      if (!targetEmpty && target.serial > source.serial)
        throw new UserError(
          `refusing to migrate: ${req.to.location} holds a newer serial (${target.serial}) of this lineage than ${req.from.location} (${source.serial})`,
        );
      const doc: StateDocument = { ...structuredClone(source), serial: target.serial + 1 };
      await req.to.write(doc, target.serial);
      return { lineage: doc.lineage, resources: count, serial: doc.serial, unchanged: false };
    }),
  );
}

function same(a: StateDocument, b: StateDocument): boolean {
  const strip = (d: StateDocument) => JSON.stringify({ ...d, serial: 0 }, Object.keys(d).sort());
  return strip(a) === strip(b) && JSON.stringify(a.resources) === JSON.stringify(b.resources);
}
