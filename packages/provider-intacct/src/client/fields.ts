import { createHash } from 'node:crypto';
import type { ResolvedRef } from '@roster/core';
import type { IntacctClient, ObjectRef, Row } from './client.js';

/**
 * A field of a row from the query service (dotted names come back flat: `"contact.email1"`) or
 * of an object from a GET (nested: `contact: {email1}`): the same mapping code reads both.
 */
export function pick(row: Row, path: string): unknown {
  if (path in row) return row[path];
  let v: unknown = row;
  for (const seg of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Row)[seg];
  }
  return v;
}

export function pickString(row: Row, path: string): string | undefined {
  const v = pick(row, path);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A reference in a request body: by key when the target is known to exist, else by its ID. */
export function refBody(ref: unknown): { key: string } | { id: string } {
  const r = ref as ResolvedRef;
  return r.id !== undefined ? { key: r.id } : { id: r.ref };
}

/** Natural keys of a list of `{ref}` values. */
export function refNames(value: unknown): string[] {
  return Array.isArray(value) ? value.map((r) => (r as ResolvedRef).ref) : [];
}

/** An Idempotency-Key derived from the operation's own, for the extra requests one operation makes. */
export function subKey(idempotencyKey: string, part: string): string {
  return createHash('sha256').update(`${idempotencyKey}\u0000${part}`).digest('hex').slice(0, 32);
}

/** `{key, id}` of the object of `object` with this ID, if there is one (lookups after a lost answer). */
export async function findById(
  client: IntacctClient,
  object: string,
  id: string,
): Promise<ObjectRef | undefined> {
  const rows = await client.query({ object, fields: ['key', 'id'], filters: [{ $eq: { id } }] });
  const row = rows.find((r) => r.id === id) ?? rows[0];
  const key = row ? pickString(row, 'key') : undefined;
  return key ? { key, id } : undefined;
}

/** Audit fields of a row, for `modifiedBy`/`modifiedAt`. */
export function auditOf(row: Row): { modifiedBy?: string; modifiedAt?: string } {
  const by = pickString(row, 'audit.modifiedByUser.id');
  const at = pickString(row, 'audit.modifiedDateTime');
  return { ...(by ? { modifiedBy: by } : {}), ...(at ? { modifiedAt: at } : {}) };
}

/** `{...obj}` without undefined values. */
export function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

/** Rows grouped by the string at `by`, each group's values in row order; rows without either are left out. */
export function groupBy<T>(rows: Row[], by: string, value: (row: Row) => T | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = pickString(r, by);
    const v = value(r);
    if (k === undefined || v === undefined) continue;
    let list = out.get(k);
    if (!list) {
      list = [];
      out.set(k, list);
    }
    list.push(v);
  }
  return out;
}
