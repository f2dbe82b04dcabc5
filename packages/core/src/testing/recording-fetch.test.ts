import { describe, expect, it } from 'vitest';
import { jsonResponse, recordingFetch, waitRecorder } from './recording-fetch.js';

describe('recordingFetch', () => {
  it('records each call and answers from the script, failing past its end', async () => {
    const s = recordingFetch([
      jsonResponse(201, { id: 1 }),
      new Error('reset'),
      (c) => jsonResponse(200, c.body),
    ]);
    expect((await s.fetch('https://x.example/a', { method: 'POST', body: '{}' })).status).toBe(201);
    await expect(s.fetch('https://x.example/b', { method: 'GET' })).rejects.toThrow('reset');
    expect(await (await s.fetch('https://x.example/c', { method: 'PUT', body: 'b' })).json()).toBe('b');
    await expect(s.fetch('https://x.example/d', { method: 'GET' })).rejects.toThrow('unexpected call GET');
    expect(s.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST https://x.example/a',
      'GET https://x.example/b',
      'PUT https://x.example/c',
      'GET https://x.example/d',
    ]);
  });

  it('passes calls on without a script, and records waits instead of sleeping', async () => {
    const s = recordingFetch(undefined, (async () =>
      jsonResponse(204, undefined)) as unknown as typeof fetch);
    const answer = await s.fetch('https://x.example/', { method: 'DELETE', headers: { a: '1' } });
    expect(answer.status).toBe(204);
    expect(s.calls[0]?.headers).toEqual({ a: '1' });
    const r = waitRecorder();
    await r.sleep(5);
    expect(r.waits).toEqual([5]);
  });
});
