import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isClosedPipe, quietOnClosedPipe } from './output.js';

describe('quietOnClosedPipe', () => {
  it('swallows EPIPE and writes to a destroyed stream, and rethrows any other stream error', () => {
    const stream = new PassThrough();
    quietOnClosedPipe(stream);
    quietOnClosedPipe(stream); // once per stream
    expect(stream.listenerCount('error')).toBe(1);
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(() => stream.emit('error', epipe)).not.toThrow();
    const destroyed = Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' });
    expect(() => stream.emit('error', destroyed)).not.toThrow();
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    expect(() => stream.emit('error', full)).toThrow('no space');
  });

  it('tells a closed pipe from other errors', () => {
    expect(isClosedPipe({ code: 'EPIPE' })).toBe(true);
    expect(isClosedPipe({ code: 'EIO' })).toBe(false);
    expect(isClosedPipe(null)).toBe(false);
  });
});
