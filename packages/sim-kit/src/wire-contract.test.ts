import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from './http-server.js';
import { sendJsonReply } from './json-reply.js';
import { readRequestBody } from './request-body.js';
import {
  contractChecker,
  type RecordingProxy,
  recordSimulator,
  startRecordingProxy,
  type WireContract,
} from './wire-contract.js';

const contract: WireContract = {
  source: { title: 'Example API', url: 'https://example.invalid/openapi.json', retrieved: '2026-12-07' },
  components: {
    schemas: {
      user: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, status: { enum: ['active', 'inactive'] } },
      },
      error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    },
  },
  operations: [
    {
      id: 'user.query',
      method: 'POST',
      path: '/api/user/query',
      headers: ['X-Api-Code'],
      request: {
        type: 'object',
        required: ['size'],
        properties: { size: { type: 'integer', maximum: 100 } },
      },
      responses: { '200': { type: 'array', items: { $ref: '#/components/schemas/user' } } },
    },
    {
      id: 'user.get',
      method: 'GET',
      path: '/api/user/{key}',
      query: { properties: { fields: { type: 'string' }, take: { type: 'integer', maximum: 10 } } },
      responses: {
        '200': { $ref: '#/components/schemas/user' },
        '4XX': { $ref: '#/components/schemas/error' },
      },
    },
    { id: 'user.delete', method: 'DELETE', path: '/api/user/{key}', responses: { '204': null } },
    {
      id: 'token',
      method: 'POST',
      path: '/oauth/token',
      requestEncoding: 'form',
      request: {
        type: 'object',
        required: ['grant_type'],
        properties: { grant_type: { const: 'client_credentials' } },
      },
      responses: { '200': { type: 'object', required: ['access_token'] } },
    },
  ],
};

const x = (over: Partial<Parameters<ReturnType<typeof contractChecker>['check']>[0][number]>) => ({
  method: 'GET',
  url: '/api/user/7',
  requestHeaders: {},
  requestBody: '',
  status: 200,
  responseHeaders: {},
  responseBody: '{"id":"u1"}',
  ...over,
});

describe('contractChecker', () => {
  const checker = contractChecker(contract);

  it('passes exchanges that follow the contract, with references resolved', () => {
    expect(
      checker.check([
        x({}),
        x({
          method: 'POST',
          url: '/api/user/query',
          requestHeaders: { 'x-api-code': 'A' },
          requestBody: '{"size":100}',
          responseBody: '[{"id":"a","status":"active"}]',
        }),
        x({ method: 'DELETE', status: 204, responseBody: '' }),
        x({ status: 404, responseBody: '{"error":"not found"}' }),
        x({
          method: 'POST',
          url: '/oauth/token',
          requestBody: 'grant_type=client_credentials',
          responseBody: '{"access_token":"t"}',
        }),
      ]),
    ).toEqual([]);
  });

  it('names each departure: path, header, body fields, enum values, statuses, query parameters', () => {
    const problems = checker.check([
      x({ url: '/api/users/7' }),
      x({
        method: 'POST',
        url: '/api/user/query',
        requestBody: '{"size":4000}',
        responseBody: '[{"id":"a","status":"lockedOut"}]',
      }),
      x({ responseBody: '{"id":"u1","extra":1}' }),
      x({ status: 500, responseBody: '{}' }),
      x({ url: '/api/user/7?take=50&sort=id' }),
      x({
        method: 'POST',
        url: '/oauth/token',
        requestBody: 'grant_type=password',
        responseBody: '{"access_token":"t"}',
      }),
      x({ method: 'DELETE', status: 204, responseBody: '', requestBody: '{}' }),
    ]);
    expect(problems).toEqual([
      'GET /api/users/7: no operation of the contract (Example API) has this method and path',
      'POST /api/user/query [user.query]: request lacks the X-Api-Code header',
      'POST /api/user/query [user.query]: request body: /size must be <= 100',
      'POST /api/user/query [user.query]: response 200: /0/status must be equal to one of the allowed values (["active","inactive"])',
      'GET /api/user/7 [user.get]: response 200: (body) must NOT have additional properties (extra)',
      'GET /api/user/7 [user.get]: status 500 is not an answer the vendor documents for this operation',
      'GET /api/user/7 [user.get]: query parameter take="50": (value) must be <= 10',
      'GET /api/user/7 [user.get]: query parameter sort is not one the vendor documents',
      'POST /oauth/token [token]: request body: /grant_type must be equal to constant',
      'DELETE /api/user/7 [user.delete]: request has a body; the operation takes none',
    ]);
  });

  it('lists the operations no exchange exercised', () => {
    expect(checker.uncovered([x({}), x({ method: 'DELETE', status: 204, responseBody: '' })])).toEqual([
      'user.query',
      'token',
    ]);
  });
});

describe('startRecordingProxy', () => {
  let proxy: RecordingProxy | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await proxy?.close();
    await close?.();
  });

  it('forwards requests unchanged and records both sides', async () => {
    const server = await startHttpServer({
      handle: async (req, res) => {
        const body = await readRequestBody(req, 1 << 20, () => new Error('too large'));
        sendJsonReply(res, {
          status: 201,
          body: { got: body, path: req.url, code: req.headers['x-api-code'] },
        });
      },
      failureReply: () => ({ status: 500, body: {} }),
      onClose: async () => {},
    });
    close = () => server.close();
    proxy = await startRecordingProxy(server.url);
    const answer = await fetch(`${proxy.url}/api/user/query?x=1`, {
      method: 'POST',
      headers: { 'X-Api-Code': 'A', 'content-type': 'application/json' },
      body: '{"size":1}',
    });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ got: '{"size":1}', path: '/api/user/query?x=1', code: 'A' });
    expect(proxy.exchanges).toHaveLength(1);
    expect(proxy.exchanges[0]).toMatchObject({
      method: 'POST',
      url: '/api/user/query?x=1',
      requestBody: '{"size":1}',
      status: 201,
      responseBody: JSON.stringify({ got: '{"size":1}', path: '/api/user/query?x=1', code: 'A' }),
    });
    expect(proxy.exchanges[0]?.requestHeaders['x-api-code']).toBe('A');
  });
});

describe('recordSimulator', () => {
  it('records in front of the simulator and closes it with the proxy', async () => {
    let closed = 0;
    const server = await startHttpServer({
      handle: async (_req, res) => sendJsonReply(res, { status: 200, body: { id: 'u1' } }),
      failureReply: () => ({ status: 500, body: {} }),
      onClose: async () => {
        closed += 1;
      },
    });
    const proxy = await recordSimulator(server);
    expect((await fetch(`${proxy.url}/api/user/u1`)).status).toBe(200);
    expect(proxy.exchanges.map((x) => x.url)).toEqual(['/api/user/u1']);
    await proxy.close();
    expect(closed).toBe(1);
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

describe('contractChecker', () => {
  it('reads the contract from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wire-contract-'));
    const file = join(dir, 'x.wire-contract.json');
    writeFileSync(file, JSON.stringify(contract));
    const fromFile = contractChecker(file);
    expect(fromFile.uncovered([])).toEqual(contractChecker(contract).uncovered([]));
    expect(fromFile.uncovered([]).length).toBeGreaterThan(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
