import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

/** A JSON Schema (draft 2020-12), transcribed from a vendor's published document. */
export type WireSchema = Record<string, unknown>;

/**
 * The vendor's published contract for the requests roster sends and the responses it reads,
 * transcribed into JSON Schema (one file per system, kept beside its provider). Tests hold both
 * roster's client and its simulator to it, so the two can no longer agree on something the vendor
 * does not say.
 */
export interface WireContract {
  /** Where each schema comes from: the vendor document's URL, when it was read, and what is inferred. */
  source: { title: string; url: string | string[]; retrieved: string; notes?: string[] };
  /** Schemas the operations refer to as `{"$ref": "#/components/schemas/NAME"}`. */
  components?: { schemas?: Record<string, WireSchema> };
  operations: ContractOperation[];
}

/** One operation as the vendor publishes it. */
export interface ContractOperation {
  /** A short unique name, e.g. `user.create`. */
  id: string;
  method: string;
  /** The path from the server's root, `{name}` for a path parameter, e.g. `/ia/api/v1/objects/company-config/user/{key}`. */
  path: string;
  /** Where the vendor says this (section, operationId, help page), for the reader. */
  source?: string;
  /** Headers every request must carry (case-insensitive names). */
  headers?: string[];
  /** Query parameters: each one's schema; `required` lists those that must be there. Unknown parameters are refused. */
  query?: { properties: Record<string, WireSchema>; required?: string[] };
  /** How the body is encoded: `json` (default) or `form` (application/x-www-form-urlencoded, validated as an object of strings). */
  requestEncoding?: 'json' | 'form';
  /** Schema of the request body; absent means the request has no body. */
  request?: WireSchema;
  /**
   * Schemas of response bodies by status: `"200"`, a class such as `"4XX"`, or `"default"`.
   * `null` means no body. A status the operation does not list is a contract violation.
   */
  responses: Record<string, WireSchema | null>;
}

/** One request and its answer, as they crossed the wire. */
export interface WireExchange {
  method: string;
  /** Path and query, as sent. */
  url: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  status: number;
  responseHeaders: IncomingHttpHeaders;
  responseBody: string;
}

/** Read a contract file (JSON). */
export function loadWireContract(file: string | URL): WireContract {
  return JSON.parse(readFileSync(file, 'utf8')) as WireContract;
}

/** Where a recording proxy listens, and what it has seen so far. */
export interface RecordingProxy {
  /** Origin to give the client instead of the server's, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Every exchange forwarded, in the order the answers came back. */
  exchanges: WireExchange[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of `target` (an origin) that records every request and answer
 * unchanged: the client under test talks to it as it would to the system, and the server answers as
 * it would to the client, so neither is altered by being observed.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: WireExchange[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host };
      const out = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (answer) => {
          const back: Buffer[] = [];
          answer.on('data', (c: Buffer) => back.push(c));
          answer.on('end', () => {
            const responseBody = Buffer.concat(back);
            exchanges.push({
              method: req.method ?? 'GET',
              url: req.url ?? '/',
              requestHeaders: req.headers,
              requestBody: requestBody.toString('utf8'),
              status: answer.statusCode ?? 0,
              responseHeaders: answer.headers,
              responseBody: responseBody.toString('utf8'),
            });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(responseBody);
          });
          answer.on('error', () => res.destroy());
        },
      );
      // A dropped upstream connection is passed on as one: the client must see what it would see.
      out.on('error', () => res.destroy());
      out.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A recording proxy in front of a started simulator (at `target`, default its `url`), owning it:
 * closing the proxy closes the simulator too, as every wire contract test ends.
 */
export async function recordSimulator(
  sim: { url: string; close(): Promise<void> },
  target: string = sim.url,
): Promise<RecordingProxy> {
  const proxy = await startRecordingProxy(target).catch(async (err: unknown) => {
    await sim.close();
    throw err;
  });
  return {
    ...proxy,
    close: async () => {
      await proxy.close();
      await sim.close();
    },
  };
}

/** A checker for one contract: validates exchanges and says which operations none exercised. */
export interface ContractChecker {
  /** Every way the exchanges depart from the contract, one line each (empty: all conform). */
  check(exchanges: readonly WireExchange[]): string[];
  /** Ids of the contract's operations that no exchange matched. */
  uncovered(exchanges: readonly WireExchange[]): string[];
}

/**
 * Compile a contract's schemas once, for checking many exchanges; given a file (a provider's
 * `<system>.wire-contract.json`), read it first.
 */
export function contractChecker(source: WireContract | string | URL): ContractChecker {
  const contract = typeof source === 'string' || source instanceof URL ? loadWireContract(source) : source;
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  // Operations refer to `#/components/…`: the contract is registered whole under an id, and each
  // operation's schemas are compiled as references into it, so `$ref`s resolve wherever they sit.
  const base = 'roster:wire-contract';
  ajv.addSchema({ $id: base, components: contract.components ?? {} });
  const compiled = new Map<WireSchema, ValidateFunction>();
  const compile = (schema: WireSchema): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) {
      v = ajv.compile(rebase(schema, base) as WireSchema);
      compiled.set(schema, v);
    }
    return v;
  };
  const routes = contract.operations.map((op) => ({ op, pattern: pathPattern(op.path) }));
  const match = (x: WireExchange) => {
    const path = x.url.split('?')[0] ?? '/';
    // Literal paths win over templated ones (`/user/query` over `/user/{key}`).
    const found = routes
      .filter((r) => r.op.method.toUpperCase() === x.method.toUpperCase() && r.pattern.re.test(path))
      .sort((a, b) => a.pattern.params - b.pattern.params);
    return found[0]?.op;
  };

  return {
    check(exchanges) {
      const problems: string[] = [];
      for (const x of exchanges) {
        const where = `${x.method} ${x.url.split('?')[0]}`;
        const op = match(x);
        if (!op) {
          problems.push(
            `${where}: no operation of the contract (${contract.source.title}) has this method and path`,
          );
          continue;
        }
        const say = (what: string) => problems.push(`${where} [${op.id}]: ${what}`);
        for (const h of op.headers ?? []) {
          if (x.requestHeaders[h.toLowerCase()] === undefined) say(`request lacks the ${h} header`);
        }
        if (op.query) checkQuery(op, x, compile, say);
        if (op.request) {
          const body = decodeBody(x.requestBody, op.requestEncoding ?? 'json');
          if (body.error) say(`request body: ${body.error}`);
          else {
            const v = compile(op.request);
            if (!v(body.value)) say(`request body: ${describe(v.errors)}`);
          }
        } else if (x.requestBody.length > 0) say('request has a body; the operation takes none');
        const responseSchema = responseFor(op, x.status);
        if (responseSchema === undefined) {
          say(`status ${x.status} is not an answer the vendor documents for this operation`);
        } else if (responseSchema !== null) {
          const body = decodeBody(x.responseBody, 'json');
          if (body.error) say(`response ${x.status}: ${body.error}`);
          else {
            const v = compile(responseSchema);
            if (!v(body.value)) say(`response ${x.status}: ${describe(v.errors)}`);
          }
        }
      }
      return problems;
    },
    uncovered(exchanges) {
      const seen = new Set(exchanges.map((x) => match(x)?.id));
      return contract.operations.map((op) => op.id).filter((id) => !seen.has(id));
    },
  };
}

function checkQuery(
  op: ContractOperation,
  x: WireExchange,
  compile: (s: WireSchema) => ValidateFunction,
  say: (what: string) => void,
): void {
  const query = op.query!;
  const params = new URL(x.url, 'http://contract.invalid').searchParams;
  for (const name of query.required ?? []) {
    if (!params.has(name)) say(`query lacks the required parameter ${name}`);
  }
  for (const [name, value] of params) {
    const schema = query.properties[name];
    if (!schema) {
      say(`query parameter ${name} is not one the vendor documents`);
      continue;
    }
    const v = compile(schema);
    // Query values are strings on the wire; a parameter documented as a number is checked as one.
    const typed = schemaWantsNumber(schema) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (!v(typed)) say(`query parameter ${name}=${JSON.stringify(value)}: ${describe(v.errors, '(value)')}`);
  }
}

function schemaWantsNumber(schema: WireSchema): boolean {
  const t = schema.type;
  return (
    t === 'integer' || t === 'number' || (Array.isArray(t) && (t.includes('integer') || t.includes('number')))
  );
}

function responseFor(op: ContractOperation, status: number): WireSchema | null | undefined {
  const exact = op.responses[String(status)];
  if (exact !== undefined) return exact;
  const klass = op.responses[`${String(status)[0]}XX`];
  if (klass !== undefined) return klass;
  return op.responses.default;
}

function decodeBody(text: string, encoding: 'json' | 'form'): { value?: unknown; error?: string } {
  if (encoding === 'form') return { value: Object.fromEntries(new URLSearchParams(text)) };
  if (text.length === 0) return { error: 'empty, a JSON body was expected' };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: 'not JSON' };
  }
}

function describe(errors: ErrorObject[] | null | undefined, root = '(body)'): string {
  return (errors ?? [])
    .map((e) => {
      const at = e.instancePath || root;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
          : e.keyword === 'enum'
            ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
            : '';
      return `${at} ${e.message ?? e.keyword}${extra}`;
    })
    .join('; ');
}

/** `{key}` segments become one-segment wildcards; the count ranks literal paths first. */
function pathPattern(path: string): { re: RegExp; params: number } {
  let params = 0;
  const source = path
    .split('/')
    .map((seg) => {
      if (/^\{[^}]+\}$/.test(seg)) {
        params++;
        return '[^/]+';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { re: new RegExp(`^${source}$`), params };
}

/** Point local `#/…` references at the registered contract document. */
function rebase(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rebase(v, base));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${base}${v}` : rebase(v, base);
    }
    return out;
  }
  return value;
}
