import { describe, expect, it } from 'vitest';
import { fake, lines, tree } from '../manifest/fixtures.testing.js';
import { loadManifests } from '../manifest/load.js';
import { endpointAllowed, parseEndpointPattern } from './endpoints.js';

const at = { file: 'policy.yaml', line: 1, column: 1 };
const allow = (...texts: string[]) =>
  texts.map((t) => {
    const p = parseEndpointPattern(t, at);
    if (!p) throw new Error(`not a pattern: ${t}`);
    return p;
  });

describe('endpoint allow-list patterns (issue 16, item 10)', () => {
  it('match scheme, host, port and path prefix; a wildcard only hosts below its domain', () => {
    const list = allow(
      'https://api.intacct.com',
      'https://*.autotask.net',
      'http://127.0.0.1:*',
      'https://x.example/api',
    );
    expect(endpointAllowed('https://api.intacct.com', list)).toBe(true);
    expect(endpointAllowed('https://API.intacct.com:443/ia/api/v1', list)).toBe(true);
    expect(endpointAllowed('https://webservices5.autotask.net/ATServicesRest', list)).toBe(true);
    expect(endpointAllowed('http://127.0.0.1:8123/', list)).toBe(true);
    expect(endpointAllowed('https://x.example/api/v2', list)).toBe(true);
    for (const refused of [
      'http://api.intacct.com', // another scheme
      'https://api.intacct.com:8443', // another port
      'https://api.intacct.com.attacker.example', // a suffix is not the host
      'https://api.intacct.com@attacker.example', // user info: the host is attacker.example
      'https://user:pw@api.intacct.com', // credentials in the URL
      'https://autotask.net', // the wildcard's domain itself
      'https://evilautotask.net',
      'https://x.example/apix', // a path prefix ends at a segment
      'http://127.0.0.2:8123',
      'not a url',
    ])
      expect(endpointAllowed(refused, list), refused).toBe(false);
  });

  it('refuse what is not a pattern', () => {
    for (const bad of [
      'api.intacct.com',
      'ftp://x',
      'https://x?y=1',
      'https://x#f',
      'https://u@x',
      'https://x:99999',
      'https://*',
    ])
      expect(parseEndpointPattern(bad, at), bad).toBeUndefined();
  });
});

describe('a Policy endpoints allow-list in a project', () => {
  const provider = (name: string, endpoint: string) =>
    `apiVersion: roster/v1\nkind: Provider\nmetadata: { name: ${name} }\nspec:\n  type: fake\n  endpoint: ${endpoint}\n`;
  const policy = (name: string, endpoints: string) =>
    `apiVersion: roster/v1\nkind: Policy\nmetadata: { name: ${name} }\nspec:\n  endpoints:\n${endpoints}`;
  const load = async (files: Record<string, string>) =>
    lines((await loadManifests({ paths: ['.'], cwd: tree(files), providers: [fake], env: {} })).diagnostics);

  it('refuses a Provider endpoint outside its type list at the endpoint line; sandbox and listed ones pass', async () => {
    expect(
      await load({
        'a.yaml': provider('a', 'https://attacker.example'),
        'b.yaml': provider('b', 'https://ok.example/v1'),
        'c.yaml': provider('c', 'sandbox'),
        'policy.yaml': policy('p', '    fake: [https://ok.example]\n'),
      }),
    ).toEqual([
      'a.yaml:6:13: error[policy.endpoint]: endpoint https://attacker.example of provider a is not allowed: the Policy endpoints allow-list lists https://ok.example for fake (policy.yaml:6); no request was sent. A new endpoint is added there, where a reviewer approves it (or use endpoint: sandbox)',
    ]);
  });

  it('without endpoints, checks nothing; a type not listed may use no URL; one list per type; bad entries at their line', async () => {
    expect(await load({ 'a.yaml': provider('a', 'https://anywhere.example') })).toEqual([]);
    expect(
      await load({
        'a.yaml': provider('a', 'https://anywhere.example'),
        'p1.yaml': policy('p1', '    other: [https://x.example]\n'),
        'p2.yaml': policy('p2', '    other: [https://y.example, "ftp://z"]\n'),
      }),
    ).toEqual([
      'a.yaml:6:13: error[policy.endpoint]: endpoint https://anywhere.example of provider a is not allowed: the Policy endpoints allow-list lists no endpoint for fake; no request was sent. A new endpoint is added there, where a reviewer approves it (or use endpoint: sandbox)',
      'p2.yaml:6:12: error[policy.duplicate-endpoints]: the endpoints of other are already listed at p1.yaml:6; keep one list per provider type',
    ]);
    expect(await load({ 'p.yaml': policy('p', '    fake: ["https://u@x.example"]\n') })).toEqual([
      'p.yaml:6:12: error[policy.endpoint-pattern]: https://u@x.example is not an endpoint pattern: give http(s)://host, http(s)://*.domain, an optional :port or :*, and an optional /path (no user, query or fragment)',
    ]);
  });
});
