import type { StateBackend, StateDocument } from './types.js';

/**
 * Test support: a state backend in memory, starting empty. It refuses a write whose expected serial
 * is not the stored one (as a real backend does), or every write with `failWrites`; `writes` lists
 * the serials written, `stored()` the document now.
 */
export function memoryBackend(opts: { failWrites?: boolean } = {}): {
  backend: StateBackend;
  writes: number[];
  stored: () => StateDocument;
} {
  const writes: number[] = [];
  let stored: StateDocument = { version: 1, lineage: 'L', serial: 0, resources: {} };
  const backend: StateBackend = {
    location: 'memory',
    async read() {
      return structuredClone(stored);
    },
    async write(doc, expected) {
      if (opts.failWrites) throw new Error('disk full');
      if (expected !== stored.serial) throw new Error('serial conflict');
      writes.push(doc.serial);
      stored = structuredClone(doc);
    },
    async lock() {
      return { id: 'x', pid: 1, host: 'h', user: 'u', operation: 'apply', createdAt: '' };
    },
    async unlock() {},
    async forceUnlock() {
      return undefined;
    },
  };
  return { backend, writes, stored: () => stored };
}
