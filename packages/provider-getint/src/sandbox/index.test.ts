import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@roster/core';
import { afterAll, describe, expect, it } from 'vitest';
import sandbox from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'getint-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const debug: string[] = [];
const start = (at?: string) =>
  sandbox.start({
    name: 'getint',
    config: { type: 'getint', endpoint: 'sandbox' },
    credentials: {},
    ...(at ? { dir: at } : {}),
    log: { ...silentLogger, debug: (m) => void debug.push(m) },
  });

/** The console of a started sandbox, with its per-run secret. */
const consoleOf = (started: Awaited<ReturnType<typeof start>>) =>
  sandbox.console({
    name: 'getint',
    config: started.config,
    token: started.consoleToken!,
    log: silentLogger,
  });

const create = {
  kind: 'Connector',
  operation: 'create' as const,
  address: 'getint/Connector/jira',
  name: 'jira',
  naturalKey: 'Jira',
  attributes: { name: 'Jira', app: 'jira', url: 'https://x.atlassian.net', account: 'a' },
};

describe('the Getint sandbox entry', () => {
  it('starts the console in the sandbox directory and gives its address as the endpoint; its console does steps there', async () => {
    const started = await start(dir);
    try {
      expect(started.config).toEqual({
        type: 'getint',
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      const ui = consoleOf(started);
      await ui.operate(create);
      expect(JSON.parse(readFileSync(path.join(dir, 'getint.json'), 'utf8')).connections).toMatchObject([
        { name: 'Jira' },
      ]);
      // Without the per-run secret the console refuses the step.
      const anonymous = sandbox.console({ name: 'getint', config: started.config, log: silentLogger });
      await expect(anonymous.operate({ ...create, operation: 'delete', id: '1' })).rejects.toThrow(
        /HTTP 401/,
      );
    } finally {
      await started.close();
    }
  });

  it('keeps the connections of a sandbox without a directory in a temporary one, removed on close', async () => {
    debug.length = 0;
    const started = await start();
    // The directory is the sandbox's own: the debug log names it.
    const temporary = /\((\/[^)]+)\)$/.exec(debug.join('\n'))?.[1];
    expect(temporary).toBeDefined();
    const ui = consoleOf(started);
    await ui.operate(create);
    expect(existsSync(path.join(temporary!, 'getint.json'))).toBe(true);
    await started.close();
    expect(existsSync(temporary!)).toBe(false);
  });
});
