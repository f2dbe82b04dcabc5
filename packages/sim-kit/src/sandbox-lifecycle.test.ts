import type { Logger } from '@roster/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_FAULT_ENV } from './fault-env.js';
import { servedSandbox, serveOptions, simulatorCloser } from './sandbox-lifecycle.js';

const request = { name: 'p', config: {}, credentials: {}, sandboxDir: '/s', host: '127.0.0.1', port: 0 };

describe('serveOptions', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('passes the directory and address, and allowRemote only when asked', () => {
    for (const v of Object.values(SANDBOX_FAULT_ENV)) delete process.env[v];
    expect(serveOptions(request)).toEqual({ dir: '/s', host: '127.0.0.1', port: 0, faults: {} });
    expect(serveOptions({ ...request, allowRemote: true })).toMatchObject({ allowRemote: true });
  });

  it("lets the command's faults win over the environment's", () => {
    process.env[SANDBOX_FAULT_ENV.errorRate] = '0.5';
    expect(serveOptions(request).faults).toMatchObject({ errorRate: 0.5 });
    expect(serveOptions({ ...request, faults: { errorRate: 0.25 } }).faults).toMatchObject({
      errorRate: 0.25,
    });
  });
});

describe('servedSandbox and simulatorCloser', () => {
  function simulator(injected = { errors: 0, throttles: 0, dropsBefore: 0, dropsAfter: 0 }) {
    const sim = {
      url: 'http://127.0.0.1:1',
      consoleToken: 't',
      closed: 0,
      faults: { injected: () => injected },
      close: async () => void sim.closed++,
    };
    return sim;
  }

  it('answers the url and console token, and closes the simulator', async () => {
    const sim = simulator();
    const served = servedSandbox(sim);
    expect(served).toMatchObject({ url: 'http://127.0.0.1:1', consoleToken: 't' });
    await served.close();
    expect(sim.closed).toBe(1);
  });

  it('logs the faults a connection rode out before closing its simulator', async () => {
    const lines: string[] = [];
    const log = { debug: (m: string) => lines.push(m) } as unknown as Logger;
    const sim = simulator({ errors: 2, throttles: 1, dropsBefore: 0, dropsAfter: 1 });
    await simulatorCloser(log, 'x: p', sim)();
    expect(sim.closed).toBe(1);
    expect(lines).toEqual([
      'x: p: sandbox faults injected: 2 errors (5xx), 1 throttled (429), 1 dropped connections (1 after the change was made)',
    ]);
  });
});
