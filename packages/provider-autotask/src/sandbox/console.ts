import { type FaultSwitch, FaultSwitchError } from '@roster/sim-kit';
import { badInput, notFound, SimError } from './errors.js';
import type { SimStore } from './store.js';
import type { RequestThreshold } from './threshold.js';
import {
  addVendor,
  apiUserView,
  createApiUser,
  createSecurityLevel,
  editApiUser,
  editSecurityLevel,
  findSecurityLevel,
  regenerateSecret,
  securityLevelView,
  seedResources,
} from './ui.js';

/** What the admin console works on. */
export interface ConsoleContext {
  store: SimStore;
  faults: FaultSwitch;
  threshold: RequestThreshold;
  /** Domain of generated usernames (keys). */
  domain: string;
}

export interface ConsoleReply {
  status: number;
  body: unknown;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw badInput('The request body is not valid JSON.');
  }
}

/**
 * The admin console under `/__sandbox/`: it stands in for the Autotask UI (security levels, API
 * users and their secrets, the vendor list) and holds the simulator's switches. No credentials:
 * it is only ever served on loopback.
 */
export async function consoleRoute(
  ctx: ConsoleContext,
  method: string,
  path: string,
  raw: string,
): Promise<ConsoleReply> {
  const { store } = ctx;
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id, sub] = seg;

  if (head === 'state' && seg.length === 1 && method === 'GET') {
    return store.read((db) => {
      const resources = [...db.table('resource').values()].sort((a, b) => a.id - b.id);
      return {
        status: 200,
        body: {
          file: store.file ?? null,
          counts: {
            resources: resources.length,
            apiUsers: resources.filter((r) => r.apiUser).length,
            securityLevels: db.table('securityLevel').size,
          },
          resources: resources.map((r) => apiUserView(db, r)),
          securityLevels: [...db.table('securityLevel').values()].map(securityLevelView),
          integrationVendors: [...db.table('vendor').values()].map((v) => v.name),
          threshold: ctx.threshold.get(),
          faults: ctx.faults.get(),
        },
      };
    });
  }

  if (head === 'faults' && seg.length === 1) {
    if (method === 'GET') return { status: 200, body: ctx.faults.get() };
    if (method === 'POST') {
      try {
        return { status: 200, body: ctx.faults.set(parseJson(raw)) };
      } catch (err) {
        if (err instanceof FaultSwitchError) throw badInput(err.message);
        throw err;
      }
    }
  }

  if (head === 'threshold' && seg.length === 1) {
    if (method === 'GET') return { status: 200, body: ctx.threshold.get() };
    if (method === 'POST') {
      const b = parseJson(raw);
      if (!b || typeof b !== 'object' || Array.isArray(b)) throw badInput('Send {"limit": N, "used": N}.');
      try {
        return { status: 200, body: ctx.threshold.set(b as Record<string, unknown>) };
      } catch (err) {
        throw badInput((err as Error).message);
      }
    }
  }

  if (head === 'security-levels') {
    if (seg.length === 1 && method === 'GET') {
      return store.read((db) => ({
        status: 200,
        body: [...db.table('securityLevel').values()].map(securityLevelView),
      }));
    }
    if (seg.length === 1 && method === 'POST') {
      const b = parseJson(raw);
      const rec = await store.transact((tx) => createSecurityLevel(tx, b));
      return { status: 201, body: securityLevelView(rec) };
    }
    if (seg.length === 2 && id !== undefined) {
      if (method === 'GET') {
        const rec = await store.read((db) => findSecurityLevel(db, id));
        if (!rec) throw notFound(`No security level ${JSON.stringify(id)}.`);
        return { status: 200, body: securityLevelView(rec) };
      }
      if (method === 'PATCH') {
        const b = parseJson(raw);
        const rec = await store.transact((tx) => editSecurityLevel(tx, id, b));
        return { status: 200, body: securityLevelView(rec) };
      }
    }
  }

  if (head === 'api-users') {
    if (seg.length === 1 && method === 'GET') {
      return store.read((db) => ({
        status: 200,
        body: [...db.table('resource').values()]
          .filter((r) => r.apiUser)
          .sort((a, b) => a.id - b.id)
          .map((r) => apiUserView(db, r)),
      }));
    }
    if (seg.length === 1 && method === 'POST') {
      const b = parseJson(raw);
      const { view, secret, trackingIdentifier } = await store.transact((tx) => {
        const made = createApiUser(tx, b, { domain: ctx.domain, now: now() });
        return {
          view: apiUserView(tx, made.rec),
          secret: made.secret,
          trackingIdentifier: made.trackingIdentifier,
        };
      });
      // The only answer that carries the secret and the tracking identifier: the UI shows the
      // secret once, in the form (and the vendor, played by the console, hands out its identifier).
      return { status: 201, body: { ...view, secret, trackingIdentifier } };
    }
    if (id !== undefined && seg.length === 2) {
      if (method === 'GET') {
        const view = await store.read((db) => {
          const rec = db.table('resource').get(id);
          return rec?.apiUser ? apiUserView(db, rec) : undefined;
        });
        if (!view) throw notFound(`No API user ${id}.`);
        return { status: 200, body: view };
      }
      if (method === 'PATCH') {
        const b = parseJson(raw);
        return {
          status: 200,
          body: await store.transact((tx) => apiUserView(tx, editApiUser(tx, id, b))),
        };
      }
    }
    if (id !== undefined && sub === 'secret' && seg.length === 3 && method === 'POST') {
      const { view, secret } = await store.transact((tx) => {
        const made = regenerateSecret(tx, id, now());
        return { view: apiUserView(tx, made.rec), secret: made.secret };
      });
      return { status: 200, body: { ...view, secret } };
    }
  }

  if (head === 'integration-vendors' && seg.length === 1) {
    if (method === 'GET')
      return store.read((db) => ({ status: 200, body: [...db.table('vendor').values()].map((v) => v.name) }));
    if (method === 'POST') {
      const b = parseJson(raw);
      const rec = await store.transact((tx) => addVendor(tx, b));
      return { status: 201, body: { name: rec.name } };
    }
  }

  if (head === 'seed' && seg.length === 1 && method === 'POST') {
    const b = parseJson(raw);
    return {
      status: 200,
      body: await store.transact((tx) => seedResources(tx, b, { domain: ctx.domain, now: now() })),
    };
  }

  throw new SimError(404, `${method} /__sandbox${path} is not an admin console route`);
}
