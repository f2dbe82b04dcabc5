import type { Readable } from 'node:stream';
import { MAX_SANDBOX_BODY } from './sandbox-guard.js';

/**
 * A request's body as text. Past `maxBytes` it rejects with `tooLarge()` and destroys the request,
 * so a runaway client cannot make the simulator buffer without end.
 */
export function readRequestBody(req: Readable, maxBytes: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A sandbox request's body as text, at most {@link MAX_SANDBOX_BODY} bytes; past it, rejects with
 * `tooLarge(maxBytes)` (the simulator's own 413).
 */
export function readSandboxBody(req: Readable, tooLarge: (maxBytes: number) => Error): Promise<string> {
  return readRequestBody(req, MAX_SANDBOX_BODY, () => tooLarge(MAX_SANDBOX_BODY));
}
