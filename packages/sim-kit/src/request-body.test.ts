import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRequestBody } from './request-body.js';

const tooLarge = () => new Error('too large');

describe('readRequestBody', () => {
  it('joins the chunks as UTF-8 text', async () => {
    const req = Readable.from([Buffer.from('{"a":'), Buffer.from('"é"}')]);
    expect(await readRequestBody(req, 100, tooLarge)).toBe('{"a":"é"}');
  });

  it('rejects with the caller error past the limit and destroys the request', async () => {
    const req = Readable.from([Buffer.alloc(6), Buffer.alloc(6)]);
    await expect(readRequestBody(req, 10, tooLarge)).rejects.toThrow('too large');
    expect(req.destroyed).toBe(true);
  });
});
