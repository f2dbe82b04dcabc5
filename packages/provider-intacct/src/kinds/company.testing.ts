import { type ConnectRequest, type Logger, type RemoteObject, Secret } from '@roster/core';
import { afterEach, beforeEach } from 'vitest';
import { connectIntacct } from '../provider.js';
import { RawApi } from '../sandbox/api.testing.js';
import type { SimCredentials } from '../sandbox/auth.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';
import { type KindSession, kindSession } from './session.testing.js';

const quiet: Logger = { info() {}, warn() {}, debug() {} };

/** What a kind's API tests work with: a fresh simulated company per test, and small helpers. */
export interface Company {
  readonly sim: Simulator;
  /** The connection, each kind's operations reachable by `kind` (`kindSession`). */
  readonly conn: KindSession;
  /** The company's REST API without roster (a change made by hand or by another tool). */
  readonly api: RawApi;
  role(name: string, permissions?: Record<string, string[]>): Promise<RemoteObject>;
  group(name: string, roles?: unknown[]): Promise<RemoteObject>;
  /** A web services user's spec, with `extra` over sensible values. */
  account(id: string, extra?: Record<string, unknown>): Record<string, unknown>;
  createAccount(id: string, extra?: Record<string, unknown>): Promise<RemoteObject>;
  update(
    kind: string,
    prior: RemoteObject,
    changes: Record<string, unknown>,
    step?: string,
  ): Promise<RemoteObject>;
  /** Delete an object of `kind` as roster would. */
  remove(kind: string, prior: RemoteObject): Promise<void>;
}

export const byKey = (objects: RemoteObject[], key: string) => objects.find((o) => o.naturalKey === key);
export const ref = (o: RemoteObject) => ({ ref: o.naturalKey, id: o.id });

/** The connect request of the `books` provider for the company at `endpoint`, with these credentials. */
export function companyRequest(endpoint: string, credentials: Record<string, string> = {}): ConnectRequest {
  return {
    name: 'books',
    config: { type: 'intacct', companyId: 'demo-co', endpoint },
    credentials: Object.fromEntries(
      Object.entries(credentials).map(([k, v]) => [k, new Secret(v, `env:${k}`)]),
    ),
    readOnly: false,
    log: quiet,
  };
}

/**
 * Registers `beforeEach`/`afterEach` that start a simulated company (a served sandbox on loopback
 * with no credentials declared, so the placeholder sign-in is accepted, unless `declared` gives
 * some: then the connection signs in with them) and connect to it.
 */
export function useCompany(declared?: SimCredentials): Company {
  let sim: Simulator | undefined;
  let conn: KindSession | undefined;
  let api: RawApi | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ companyId: 'demo-co', ...(declared ? { credentials: declared } : {}) });
    conn = kindSession(
      await connectIntacct(companyRequest(sim.url, { ...declared }), { sleep: async () => {}, pageSize: 3 }),
    );
    api = new RawApi(sim.url);
  });
  afterEach(async () => {
    await conn?.close();
    await sim?.close();
  });
  const account = (id: string, extra: Record<string, unknown> = {}) => {
    const email = `${id.toLowerCase()}@example.com`;
    return {
      id,
      userName: `${id} integration`,
      email,
      contact: { firstName: 'Web', lastName: id, email },
      userType: 'business',
      adminPrivileges: 'off',
      status: 'active',
      ...extra,
    };
  };
  const company: Company = {
    get sim() {
      return sim!;
    },
    get conn() {
      return conn!;
    },
    get api() {
      return api!;
    },
    role: async (name, permissions = {}) =>
      (
        await company.conn.create({
          kind: 'SecurityLevel',
          address: `books/SecurityLevel/${name}`,
          attributes: { name, permissions },
          idempotencyKey: `r-${name}`,
        })
      ).object,
    group: async (name, roles = []) =>
      (
        await company.conn.create({
          kind: 'Group',
          address: `books/Group/${name}`,
          attributes: { name, description: `${name} group`, roles },
          idempotencyKey: `g-${name}`,
        })
      ).object,
    account,
    createAccount: async (id, extra = {}) =>
      (
        await company.conn.create({
          kind: 'ServiceAccount',
          address: `books/ServiceAccount/${id}`,
          attributes: account(id, extra),
          idempotencyKey: `u-${id}`,
        })
      ).object,
    update: async (kind, prior, changes, step = 'u') =>
      (
        await company.conn.update({
          kind,
          address: `books/${kind}/${prior.naturalKey}`,
          id: prior.id,
          prior,
          changes,
          idempotencyKey: `${step}-${prior.id}`,
        })
      ).object,
    remove: async (kind, prior) => {
      await company.conn.delete({ kind, address: `books/${kind}/${prior.naturalKey}`, id: prior.id, prior });
    },
  };
  return company;
}
