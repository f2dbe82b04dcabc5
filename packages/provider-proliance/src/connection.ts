import type {
  CheckedResource,
  ConnectionStats,
  ListRequest,
  ListResult,
  OperateRequest,
  OperateResult,
  ProviderCheckResult,
  ProviderConnection,
  ReadRequest,
  ReadResult,
} from '@roster/core';
import { checkOwners } from './checks.js';
import type { ContactRow, ParsedExport, StaffRow } from './export/format.js';
import type { ExportSource } from './export/source.js';
import { exportObjects } from './export/to-remote.js';
import type { SandboxOperator } from './operator.js';

const KINDS = ['ServiceAccount', 'SecurityLevel'];

/**
 * A session with one Proliance system, which roster knows only through the registers' CSV export
 * (`ExportSource`): `list`, `read` and `validate` read it; writes are manual steps, so the
 * connection has no `create`, `update` or `delete`. On a sandbox, `operate` performs the steps through the console and
 * exports again. There is no `test`: an integration account cannot log on.
 */
export class ProlianceConnection implements ProviderConnection {
  readonly source: ExportSource;
  readonly #onClose: (() => Promise<void>) | undefined;
  /** Sandboxes only (see `ProviderConnection.operate`). */
  readonly operate?: (req: OperateRequest) => Promise<OperateResult>;

  constructor(
    source: ExportSource,
    opts: { operator?: SandboxOperator; onClose?: () => Promise<void> } = {},
  ) {
    this.source = source;
    this.#onClose = opts.onClose;
    const operator = opts.operator;
    if (operator) this.operate = (req) => operator.operate(req);
  }

  #known(kind: string): void {
    if (!KINDS.includes(kind)) throw new Error(`Proliance has no kind ${kind} (known: ${KINDS.join(', ')})`);
  }

  /** The export as last read (re-read when a file changed). */
  export(): Promise<ParsedExport> {
    return this.source.load();
  }

  /** The staff members and contacts in the export: the documents an integration account can be made on. */
  async owners(): Promise<{ staff: StaffRow[]; contacts: ContactRow[] }> {
    const data = await this.source.load();
    return { staff: data.staff, contacts: data.contacts };
  }

  async list(req: ListRequest): Promise<ListResult> {
    this.#known(req.kind);
    return { objects: exportObjects(await this.source.load(), req.kind) };
  }

  async read(req: ReadRequest): Promise<ReadResult> {
    this.#known(req.kind);
    const objects = exportObjects(await this.source.load(), req.kind);
    return { object: objects.find((o) => o.id === req.id && !o.conflict) };
  }

  /**
   * Plan-time checks against the export: each integration account's owner exists and is active,
   * and its account name is free (see `checkOwners`).
   */
  async validate(req: { resources: CheckedResource[] }): Promise<ProviderCheckResult> {
    return checkOwners({ export: await this.source.load(), resources: req.resources });
  }

  /** No API calls: reading the export is reading files. */
  stats(): ConnectionStats {
    return { apiCalls: 0, throttled: 0 };
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
