import type { Readable } from 'node:stream';

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
