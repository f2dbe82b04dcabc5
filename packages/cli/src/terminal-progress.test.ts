import { describe, expect, it } from 'vitest';
import { stderrLines } from './terminal-progress.js';

/** A stream that says it is (or is not) a terminal and keeps what is written. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  const s = {
    isTTY,
    columns: 60,
    write(chunk: string | Uint8Array, ...rest: unknown[]) {
      writes.push(String(chunk));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    },
  };
  return { s: s as unknown as NodeJS.WriteStream, writes };
}

describe('stderrLines', () => {
  it('on a terminal: rewrites one progress line, writes lines above it, erases it before a prompt', async () => {
    const { s, writes } = stream(true);
    const lines = stderrLines(s);
    lines.onProgress?.({ phase: 'apply', done: 1, total: 4, current: 'p/User/a' });
    lines.line('p/User/a: create done (2 ms)');
    await new Promise<void>((resolve) => lines.prompts.write('Done? ', () => resolve()));
    lines.done();
    expect(writes).toEqual([
      '\r\x1b[2Kapplying [1/4] p/User/a',
      '\r\x1b[2Kp/User/a: create done (2 ms)\napplying [1/4] p/User/a',
      '\r\x1b[2K',
      'Done? ',
    ]);
  });

  it('without a terminal: no progress at all', () => {
    const { s, writes } = stream(false);
    const lines = stderrLines(s);
    expect(lines.onProgress).toBeUndefined();
    expect(lines.prompts).toBe(s);
    lines.done();
    expect(writes).toEqual([]);
  });
});
