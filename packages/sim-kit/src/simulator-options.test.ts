import { describe, expect, it } from 'vitest';
import { faultSwitchOf, listenOptions, storeOptions } from './simulator-options.js';

describe('simulator base options', () => {
  it('pass on only what is set', () => {
    expect(listenOptions({})).toEqual({});
    expect(storeOptions({})).toEqual({});
    expect(
      listenOptions({ host: '0.0.0.0', port: 0, allowRemote: true, consoleToken: 't', dir: '/d' }),
    ).toEqual({
      host: '0.0.0.0',
      port: 0,
      allowRemote: true,
      consoleToken: 't',
    });
    expect(storeOptions({ dir: '/d', compactBytes: 10, port: 1 })).toEqual({ dir: '/d', compactBytes: 10 });
  });

  it('start the fault switch from the faults and random source given', async () => {
    const faults = faultSwitchOf({ faults: { throttleRate: 1, retryAfterSeconds: 7 }, random: () => 0 });
    expect(await faults.strike()).toEqual({ fault: { kind: 'throttle' }, retryAfterSeconds: 7 });
    expect(faults.injected().throttles).toBe(1);
    expect((await faultSwitchOf({}).strike()).fault).toEqual({ kind: 'none' });
  });
});
