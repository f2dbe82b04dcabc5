import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyExample, roster } from './helpers.js';

// The attack (issue 16, item 4): the token endpoint answered 307 to another host, and roster
// posted the whole form, client_secret included, to both. Here the provider's endpoint is a
// server on 127.0.0.1 that redirects every request to a second server on 127.0.0.2 (another
// machine, as far as the client knows), which must receive nothing.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string };

async function listen(host: string, answer: (req: IncomingMessage) => Answer) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const a = answer(req);
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body ?? '{}');
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const SECRETS = {
  R_CID: 'redirect-client-id-77aa',
  R_CS: 'redirect-client-secret-Zq81',
  R_UID: 'redirect-user-id-3c0d',
  R_AT_USER: 'redirect-api@example.com',
  R_AT_SECRET: 'redirect-at-secret-9Kp2',
  R_AT_CODE: 'redirect-at-code-41bb',
  R_AFAS_TOKEN: 'redirect-afas-token-data-6e5f',
};

const INTACCT = (url: string) => `apiVersion: roster/v1
kind: Provider
metadata: { name: intacct-prod }
spec:
  type: intacct
  endpoint: ${url}
  companyId: acme-corp
  credentials:
    clientId: \${env:R_CID}
    clientSecret: \${env:R_CS}
    userId: \${env:R_UID}
`;

const CASES: Array<{
  system: string;
  example: string;
  what: string;
  provider(url: string): string;
  /** What the endpoint answers itself instead of redirecting (default: nothing). */
  answers?(req: IncomingMessage): Answer | undefined;
}> = [
  {
    system: 'Intacct (OAuth token request)',
    example: 'intacct',
    what: 'sign in to company acme-corp',
    provider: INTACCT,
  },
  {
    system: 'Intacct (a bearer request once signed in)',
    example: 'intacct',
    what: 'query company-config/',
    provider: INTACCT,
    answers: (req) =>
      req.url?.endsWith('/oauth2/token')
        ? {
            status: 200,
            body: JSON.stringify({ access_token: 'redirect-bearer-token-0f3e', expires_in: 3600 }),
          }
        : undefined,
  },
  {
    system: 'Autotask (UserName, Secret, ApiIntegrationCode headers)',
    example: 'autotask',
    what: 'Resources',
    provider: (url: string) => `apiVersion: roster/v1
kind: Provider
metadata: { name: autotask-prod }
spec:
  type: autotask
  endpoint: ${url}
  credentials: { username: "\${env:R_AT_USER}", secret: "\${env:R_AT_SECRET}", integrationCode: "\${env:R_AT_CODE}" }
`,
  },
  {
    system: 'AFAS (Authorization: AfasToken)',
    example: 'afas',
    what: 'GetConnector',
    provider: (url: string) => `apiVersion: roster/v1
kind: Provider
metadata: { name: afas-sandbox }
spec:
  type: afas
  endpoint: ${url}/ProfitRestServices
  credentials: { token: "\${env:R_AFAS_TOKEN}" }
`,
  },
];

describe('a request that carries credentials never follows a redirect', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  for (const c of CASES) {
    it(`${c.system}: a 307 to another host is an error naming status and host; that host receives nothing`, async () => {
      const thief = await listen('127.0.0.2', () => ({ status: 200 }));
      closers.push(thief.close);
      const endpoint = await listen(
        '127.0.0.1',
        (req) =>
          c.answers?.(req) ?? {
            status: 307,
            headers: { location: `${thief.url}${req.url ?? '/'}` },
          },
      );
      closers.push(endpoint.close);
      const dir = copyExample(c.example);
      writeFileSync(path.join(dir, 'provider.yaml'), c.provider(endpoint.url));

      const r = await roster(['plan', '--allow-empty-state'], { cwd: dir, env: SECRETS });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `answered 307 \\(a redirect\\) to ${thief.url.replace(/\./g, '\\.')}; roster does not follow redirects: the request carries credentials`,
        ),
      );
      expect(r.stderr).toContain(c.what);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // The first request reached the endpoint, once (a redirect is not retried) …
      expect(endpoint.seen.length).toBeGreaterThan(0);
      // … and nothing reached the other host.
      expect(thief.seen).toEqual([]);
      for (const v of [...Object.values(SECRETS), 'redirect-bearer-token-0f3e'])
        expect(r.stdout + r.stderr).not.toContain(v);
    });
  }
});
