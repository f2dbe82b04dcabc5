import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRequestBody, readSandboxBody } from './request-body.js';
import { MAX_SANDBOX_BODY } from './sandbox-guard.js';

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

describe('readSandboxBody', () => {
  it('caps the body at MAX_SANDBOX_BODY and names the cap in the error', async () => {
    const fits = Readable.from([Buffer.alloc(MAX_SANDBOX_BODY, 'a')]);
    expect(await readSandboxBody(fits, tooLarge)).toHaveLength(MAX_SANDBOX_BODY);
    const over = Readable.from([Buffer.alloc(MAX_SANDBOX_BODY), Buffer.alloc(1)]);
    await expect(readSandboxBody(over, (max) => new Error(`over ${max}`))).rejects.toThrow(
      `over ${MAX_SANDBOX_BODY}`,
    );
  });
});
