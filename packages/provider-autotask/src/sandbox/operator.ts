import {
  type OperateRequest,
  type OperateResult,
  type RemoteObject,
  type SandboxConsole,
  Secret,
} from '@roster/core';
import { RECOMMENDED_BASE_LEVEL } from '../facts.js';
import { nameOfAddress } from '../kinds/common.js';
import type { ApiUsers } from '../kinds/service-account/api-users.js';
import { accountNames } from '../kinds/service-account/runbook.js';
import { type ConsoleClient, type ConsoleSecurityLevel, SandboxConsoleError } from './console-client.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** A resolved `{ref, id}`: the id when the target exists, else its natural key (the UI shows names). */
function levelOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  if (typeof value.id === 'string' && value.id) return value.id;
  return typeof value.ref === 'string' ? value.ref : undefined;
}

function pick(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in from && from[k] !== undefined) out[k] = from[k];
  return out;
}

const levelObject = (l: ConsoleSecurityLevel): RemoteObject => ({
  id: l.id,
  naturalKey: l.name,
  attributes: {},
});

/**
 * The sandbox operator: each manual step done through the simulator's console, as a person would
 * in the Autotask UI, then read back through the REST API where Autotask can read it.
 *
 * - ServiceAccount create → New API User (names default as the runbook says); the generated
 *   secret is returned as a `Secret` under the runbook's credential name `secret`.
 * - ServiceAccount update → edit the API user (security level, locked; names, e-mail, active too).
 * - deactivate (and delete, which Autotask does not have) → Active unchecked.
 * - reconfirm → open the object and compare what the UI shows with the manifest; a difference
 *   fails the step, as an honest operator would refuse to confirm.
 */
export class SandboxOperator implements SandboxConsole {
  constructor(
    readonly console: ConsoleClient,
    readonly apiUsers: ApiUsers,
  ) {}

  operate(req: OperateRequest): Promise<OperateResult> {
    if (req.kind === 'ServiceAccount') return this.#apiUser(req);
    if (req.kind === 'SecurityLevel') return this.#securityLevel(req);
    return Promise.reject(
      new Error(`Autotask has no kind ${req.kind} (known: ServiceAccount, SecurityLevel)`),
    );
  }

  async #readBack(id: string): Promise<RemoteObject> {
    const object = await this.apiUsers.read(id);
    if (!object)
      throw new Error(
        `the API user made in the sandbox (resource ${id}) cannot be read back through the API`,
      );
    return object;
  }

  async #apiUser(req: OperateRequest): Promise<OperateResult> {
    const a = req.attributes;
    if (req.operation === 'create') {
      const names = accountNames(nameOfAddress(req.address), a);
      const made = await this.console.createApiUser({
        ...names,
        ...pick(a, ['email', 'integrationVendor', 'active', 'locked']),
        securityLevel: levelOf(a.securityLevel),
      });
      const { secret, trackingIdentifier, ...user } = made;
      return {
        object: await this.#readBack(String(user.id)),
        secrets: {
          secret: new Secret(secret, `autotask sandbox: secret of ${req.address}`),
          integrationCode: new Secret(
            trackingIdentifier,
            `autotask sandbox: API tracking identifier of ${req.address}`,
          ),
        },
      };
    }
    const id = req.id ?? req.prior?.id;
    if (!id) throw new Error(`${req.operation} of ${req.address} needs the API user's id`);
    if (req.operation === 'rotate') {
      const { secret } = await this.console.generateSecret(id);
      return {
        object: await this.#readBack(id),
        secrets: { secret: new Secret(secret, `autotask sandbox: secret of ${req.address}`) },
      };
    }
    if (req.operation === 'reconfirm') {
      const shown = await this.console.getApiUser(id);
      const differences: string[] = [];
      const level = levelOf(a.securityLevel);
      if (
        level !== undefined &&
        level !== shown.securityLevelId &&
        level.toLowerCase() !== (shown.securityLevel ?? '').toLowerCase()
      )
        differences.push(`security level is ${shown.securityLevel}, not ${level}`);
      if (typeof a.integrationVendor === 'string' && a.integrationVendor !== shown.integrationVendor)
        differences.push(`integration vendor is ${shown.integrationVendor}, not ${a.integrationVendor}`);
      if (typeof a.locked === 'boolean' && a.locked !== shown.locked)
        differences.push(`locked is ${shown.locked}, not ${a.locked}`);
      if (differences.length > 0)
        throw new Error(
          `cannot confirm ${req.address}: the sandbox shows that its ${differences.join('; ')}`,
        );
      return { object: await this.#readBack(id) };
    }
    const body =
      req.operation === 'update'
        ? pick(req.changes ?? {}, ['firstName', 'lastName', 'email', 'active', 'locked', 'integrationVendor'])
        : { active: false };
    if (req.operation === 'update' && req.changes && 'securityLevel' in req.changes)
      body.securityLevel = levelOf(req.changes.securityLevel);
    await this.console.editApiUser(id, body);
    return { object: await this.#readBack(id) };
  }

  /** The level by the ids a step may carry: the console's id, else the name it had, else the one it gets. */
  async #findLevel(req: OperateRequest): Promise<string> {
    const candidates = [req.id, req.prior?.id, req.prior?.naturalKey, req.naturalKey].filter(
      (c): c is string => typeof c === 'string' && c !== '',
    );
    for (const c of new Set(candidates)) {
      try {
        return (await this.console.getSecurityLevel(c)).id;
      } catch (err) {
        if (!(err instanceof SandboxConsoleError) || err.status !== 404) throw err;
      }
    }
    throw new Error(`the sandbox has no security level ${req.naturalKey} for ${req.address}`);
  }

  async #securityLevel(req: OperateRequest): Promise<OperateResult> {
    const a = req.attributes;
    if (req.operation === 'create') {
      const made = await this.console.createSecurityLevel({
        name: a.name ?? req.naturalKey,
        copiedFrom: typeof a.copiedFrom === 'string' ? a.copiedFrom : RECOMMENDED_BASE_LEVEL,
        ...pick(a, ['permissions', 'active']),
      });
      return { object: levelObject(made) };
    }
    const id = await this.#findLevel(req);
    if (req.operation === 'reconfirm') {
      const shown = await this.console.getSecurityLevel(id);
      const differences: string[] = [];
      if (typeof a.name === 'string' && a.name !== shown.name) differences.push(`name is ${shown.name}`);
      if (typeof a.active === 'boolean' && a.active !== shown.active)
        differences.push(`active is ${shown.active}`);
      if (isObject(a.permissions)) {
        for (const [k, v] of Object.entries(a.permissions)) {
          const have = shown.permissions[k];
          const norm = (x: unknown) => JSON.stringify(Array.isArray(x) ? [...x].sort() : x);
          if (norm(have) !== norm(v))
            differences.push(`${k} is ${have === undefined ? 'not set' : norm(have)}`);
        }
      }
      if (differences.length > 0)
        throw new Error(
          `cannot confirm ${req.address}: the sandbox shows that its ${differences.join('; ')}`,
        );
      return { object: levelObject(shown) };
    }
    const body =
      req.operation === 'update'
        ? pick(req.changes ?? {}, ['name', 'permissions', 'active'])
        : { active: false };
    return { object: levelObject(await this.console.editSecurityLevel(id, body)) };
  }
}
