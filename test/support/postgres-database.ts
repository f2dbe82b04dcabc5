import pg from 'pg';
import type { ProvidedPostgres } from '../setup/postgres.js';

/** A new, empty database on the test cluster (one per test, so tests never share state); its URL. */
export async function freshDatabase(server: ProvidedPostgres, prefix: string): Promise<string> {
  if (!server.available) throw new Error(server.reason);
  const name = `${prefix}_${Math.random().toString(36).slice(2, 12)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  return u.toString();
}
