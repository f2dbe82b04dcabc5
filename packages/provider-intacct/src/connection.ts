import type {
  CheckedResource,
  ConnectionStats,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  DeleteResult,
  ListRequest,
  ListResult,
  OperateRequest,
  OperateResult,
  ProviderCheckResult,
  ProviderConnection,
  ReadRequest,
  ReadResult,
  RemoteObject,
  TestRequest,
  TestResult,
  UpdateRequest,
  UpdateResult,
} from '@roster/core';
import { signInPreamble } from '@roster/core';
import type { IntacctClient } from './client.js';
import { IntacctApiError, IntacctNetworkError } from './client-errors.js';
import { ACCESS_RIGHT_ALIASES, intacctRight } from './permission-data/access-rights.js';
import { closest, isOldForm } from './permission-data/catalogue.js';
import { type Listable, listableObjects } from './remote/access.js';
import { createGroup, deleteGroup, listGroups, readGroup, updateGroup } from './remote/groups.js';
import { permissionCatalogue } from './remote/permission-catalogue.js';
import {
  createSecurityLevel,
  deleteSecurityLevel,
  listSecurityLevels,
  readSecurityLevel,
  updateSecurityLevel,
} from './remote/roles.js';
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
  readServiceAccount,
  updateServiceAccount,
} from './remote/users.js';
import { SandboxOperator } from './sandbox-operator.js';

/** What one kind does against the API. */
interface KindOps {
  list(client: IntacctClient): Promise<RemoteObject[]>;
  read(client: IntacctClient, key: string): Promise<RemoteObject | undefined>;
  create(
    client: IntacctClient,
    attributes: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<RemoteObject>;
  update(
    client: IntacctClient,
    key: string,
    prior: RemoteObject,
    changes: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<RemoteObject>;
  delete(client: IntacctClient, key: string, prior: RemoteObject): Promise<void>;
}

const OPS: Record<string, KindOps> = {
  ServiceAccount: {
    list: listServiceAccounts,
    read: readServiceAccount,
    create: createServiceAccount,
    update: updateServiceAccount,
    delete: deleteServiceAccount,
  },
  SecurityLevel: {
    list: listSecurityLevels,
    read: readSecurityLevel,
    create: createSecurityLevel,
    update: updateSecurityLevel,
    delete: deleteSecurityLevel,
  },
  Group: { list: listGroups, read: readGroup, create: createGroup, update: updateGroup, delete: deleteGroup },
};

/** One line about a failure that is not a refusal (network, 5xx, throttling); throws bugs on. */
function reason(err: unknown): string {
  if (err instanceof IntacctApiError || err instanceof IntacctNetworkError) return err.message;
  throw err;
}

const refIds = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((r) => (r as { ref?: unknown })?.ref).filter((r): r is string => typeof r === 'string')
    : [];

/** A session with one Intacct company (or its sandbox): the provider's `ProviderConnection`. */
export class IntacctConnection implements ProviderConnection {
  readonly client: IntacctClient;
  readonly #onClose: (() => Promise<void>) | undefined;

  /** Sandboxes only: the password reset a person does in the UI (see `SandboxOperator`). */
  readonly operate?: (req: OperateRequest) => Promise<OperateResult>;

  constructor(
    client: IntacctClient,
    onClose?: () => Promise<void>,
    sandboxUrl?: string,
    consoleToken?: string,
  ) {
    this.client = client;
    this.#onClose = onClose;
    if (sandboxUrl) {
      const operator = new SandboxOperator(
        sandboxUrl,
        (kind, id) => this.#ops(kind).read(this.client, id),
        consoleToken,
      );
      this.operate = (req) => operator.operate(req);
    }
  }

  #ops(kind: string): KindOps {
    const ops = OPS[kind];
    if (!ops) throw new Error(`Sage Intacct has no kind ${kind} (known: ${Object.keys(OPS).join(', ')})`);
    return ops;
  }

  async list(req: ListRequest): Promise<ListResult> {
    return { objects: await this.#ops(req.kind).list(this.client) };
  }

  async read(req: ReadRequest): Promise<ReadResult> {
    return { object: await this.#ops(req.kind).read(this.client, req.id) };
  }

  async create(req: CreateRequest): Promise<CreateResult> {
    return { object: await this.#ops(req.kind).create(this.client, req.attributes, req.idempotencyKey) };
  }

  async update(req: UpdateRequest): Promise<UpdateResult> {
    return {
      object: await this.#ops(req.kind).update(
        this.client,
        req.id,
        req.prior,
        req.changes,
        req.idempotencyKey,
      ),
    };
  }

  async delete(req: DeleteRequest): Promise<DeleteResult> {
    await this.#ops(req.kind).delete(this.client, req.id, req.prior);
    return {};
  }

  /**
   * `roster test`: sign in as the web services user and read one row of an object its roles let
   * it list. Intacct's REST sign-in (OAuth2 client credentials) has no per-user secret: the
   * provider's Web Services client (`clientId`, `clientSecret`) signs in with
   * `username=<user ID>@<company>[|entity]`, and Intacct refuses users that are inactive or locked
   * (a user's password belongs to the XML API's sender-ID sign-in, which roster does not use), so
   * the manifest's `credentials` are not needed. Signing in activates the user ID: Intacct will
   * no longer delete the user. Refusals and network trouble are reported, never thrown.
   */
  async test(req: TestRequest): Promise<TestResult> {
    const pre = signInPreamble(req, { kind: 'ServiceAccount', accounts: 'web services users' });
    if ('refused' in pre) return pre.refused;
    const userId = req.naturalKey;
    let user: RemoteObject | undefined;
    try {
      user = await readServiceAccount(this.client, req.id);
    } catch (err) {
      return { authenticated: false, message: `could not look up user ${userId}: ${reason(err)}` };
    }
    if (!user)
      return { authenticated: false, message: `user ${userId} (key ${req.id}) no longer exists in Intacct` };
    const status = user.attributes.status;

    const as = this.client.signedInAs(user.naturalKey);
    try {
      await as.authenticate();
    } catch (err) {
      const hint = status === 'inactive' || status === 'locked' ? `; the user is ${status} in Intacct` : '';
      if (err instanceof IntacctApiError && err.status >= 400 && err.status < 500 && err.status !== 429)
        return {
          authenticated: false,
          message: `Intacct refused to sign ${userId} in with the provider's Web Services client: ${err.apiMessage} (${err.statusText})${hint}`,
        };
      return { authenticated: false, message: `could not sign ${userId} in: ${reason(err)}${hint}` };
    }

    let objects: Listable[];
    try {
      objects = await listableObjects(
        this.client,
        refIds(user.attributes.roles),
        refIds(user.attributes.groups),
      );
    } catch (err) {
      return {
        authenticated: true,
        permission: { ok: false, checked: `find an object the roles of ${userId} let it list` },
        message: `signed in, but could not read the user's roles: ${reason(err)}`,
      };
    }
    const admin = user.attributes.adminPrivileges !== undefined && user.attributes.adminPrivileges !== 'off';
    // An administrator may list users whatever its roles say.
    const found =
      objects[0] ?? (admin ? { permission: 'admin privileges', object: 'company-config/user' } : undefined);
    if (!found)
      return {
        authenticated: true,
        permission: { ok: false, checked: `find an object the roles of ${userId} let it list` },
        message: `none of the roles of ${userId} (its own or its groups') grants List on a permission that guards an object roster knows (see the provider's README): the integration can read nothing roster can try`,
      };
    const { object } = found;
    const checked = `list 1 row of ${object} (${found.permission}) as ${userId}`;
    try {
      await as.queryPage({ object, fields: ['key'] }, 1);
      return { authenticated: true, permission: { ok: true, checked } };
    } catch (err) {
      if (err instanceof IntacctApiError && err.status >= 400 && err.status < 500 && err.status !== 429)
        return {
          authenticated: true,
          permission: { ok: false, checked },
          message: `Intacct refused to let ${userId} list ${object}: ${err.apiMessage} (${err.statusText})`,
        };
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `signed in, but could not list ${object}: ${reason(err)}`,
      };
    }
  }

  /**
   * Checks against the company's permission catalogue (read with the roles' bulk refresh): every
   * permission a SecurityLevel names must be one of the company's `<module>/<name>`s, and every
   * right one its `allowedAccessRights` allow; errors are placed at the manifest line, with the
   * closest names. (The `view`/`edit` aliases are written as Intacct names them by the
   * attribute's `normalize`, before the diff.)
   */
  async validate(req: { resources: CheckedResource[] }): Promise<ProviderCheckResult> {
    const roles = req.resources.filter((r) => r.kind === 'SecurityLevel');
    const diagnostics: ProviderCheckResult['diagnostics'] = [];
    if (roles.length === 0) return { diagnostics };
    const catalogue = await permissionCatalogue(this.client);
    const names = catalogue.names();
    const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
    for (const role of roles) {
      const perms = role.spec.permissions;
      if (!perms || typeof perms !== 'object') continue;
      for (const [name, rights] of Object.entries(perms as Record<string, unknown>)) {
        const path = `/permissions/${pointer(name)}`;
        if (isOldForm(name)) {
          continue; // the kind's own check reports it
        }
        const p = catalogue.byName.get(name);
        if (!p) {
          diagnostics.push({
            severity: 'error',
            code: 'intacct.unknown-permission',
            message: `${name} is not a permission of this Intacct company (company-config/permission); closest: ${closest(name, names).join(', ')}`,
            address: role.address,
            path,
          });
          continue;
        }
        if (!Array.isArray(rights)) continue;
        for (const [i, right] of rights.entries()) {
          if (typeof right !== 'string') continue;
          const wire = intacctRight(right);
          if (p.allowedAccessRights.includes(wire)) continue;
          const alias = ACCESS_RIGHT_ALIASES[right] ? ` (${right} means ${wire})` : '';
          diagnostics.push({
            severity: 'error',
            code: 'intacct.access-right-not-allowed',
            message: `${name} does not allow ${right}${alias}: its allowed access rights are ${p.allowedAccessRights.join(', ')}; closest: ${closest(wire, p.allowedAccessRights).join(', ')}`,
            address: role.address,
            path: `${path}/${i}`,
          });
        }
      }
    }
    return { diagnostics };
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
