import type { Diagnostic } from '../diagnostics.js';
import type { ManifestDocument, SourcePosition } from '../manifest/types.js';

/**
 * An entry of a Policy's `endpoints` allow-list: `https://api.intacct.com`,
 * `https://*.autotask.net` (one or more labels before the domain), `http://127.0.0.1:*` (any port),
 * `https://12345.rest.afas.online/ProfitRestServices` (that path and below).
 */
export interface EndpointPattern {
  text: string;
  scheme: 'http' | 'https';
  /** Lower-case host; with `wildcard`, the domain the host must be below. */
  host: string;
  wildcard: boolean;
  /** A port number, `*`, or the scheme's default. */
  port: string;
  /** Path prefix without a trailing slash (`` for any path). */
  path: string;
  position: SourcePosition;
}

/** The allow-list of one provider type, from one Policy document. */
export interface EndpointAllowList {
  patterns: EndpointPattern[];
  /** Where the type's list is (`spec.endpoints.<type>`). */
  position: SourcePosition;
}

const PATTERN =
  /^(https?):\/\/(\*\.)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::([0-9]{1,5}|\*))?(\/[^\s?#]*)?$/i;

const defaultPort = (scheme: string) => (scheme === 'https' ? '443' : '80');

/** Parse an allow-list entry; `undefined` when it is not one (reported at its line by the caller). */
export function parseEndpointPattern(text: string, position: SourcePosition): EndpointPattern | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase() as 'http' | 'https';
  const port = m[4] ?? defaultPort(scheme);
  if (port !== '*' && Number(port) > 65535) return undefined;
  return {
    text,
    scheme,
    host: m[3]!.toLowerCase(),
    wildcard: m[2] !== undefined,
    port,
    path: (m[5] ?? '').replace(/\/+$/, ''),
    position,
  };
}

/**
 * Whether an endpoint URL is one the patterns allow: same scheme, host (or below a wildcard's
 * domain), port, and path at or below the pattern's. A URL with a user name or password, or that
 * does not parse, is never allowed.
 */
export function endpointAllowed(endpoint: string, patterns: readonly EndpointPattern[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const scheme = url.protocol.replace(/:$/, '');
  const host = url.hostname.toLowerCase();
  const port = url.port || defaultPort(scheme);
  const path = url.pathname.replace(/\/+$/, '');
  return patterns.some(
    (p) =>
      p.scheme === scheme &&
      (p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host) &&
      (p.port === '*' || p.port === port) &&
      (p.path === '' || path === p.path || path.startsWith(`${p.path}/`)),
  );
}

/**
 * Each Provider document whose `spec.endpoint` is a URL outside its type's allow-list: an error at
 * the endpoint's line, before any command connects (and so before any credential is sent).
 * No allow-list at all (no Policy sets `endpoints`): nothing is checked. `endpoint: sandbox` and the
 * providers' keywords (`auto`: the vendor's own zone lookup) name no host and are always allowed; a
 * Provider without `endpoint` uses its vendor's default host.
 */
export function endpointDiagnostics(
  providerDocs: readonly ManifestDocument[],
  allowList: ReadonlyMap<string, EndpointAllowList> | undefined,
): Diagnostic[] {
  if (!allowList) return [];
  const out: Diagnostic[] = [];
  for (const doc of providerDocs) {
    const endpoint = doc.spec.endpoint;
    const type = doc.spec.type;
    if (typeof endpoint !== 'string' || typeof type !== 'string') continue;
    if (!endpoint.includes('://')) continue;
    const list = allowList.get(type);
    if (list && endpointAllowed(endpoint.trim(), list.patterns)) continue;
    const listed = list
      ? `lists ${list.patterns.map((p) => p.text).join(', ') || 'nothing'} for ${type} (${list.position.file}:${list.position.line})`
      : `lists no endpoint for ${type}`;
    out.push({
      severity: 'error',
      code: 'policy.endpoint',
      message: `endpoint ${endpoint} of provider ${doc.name} is not allowed: the Policy endpoints allow-list ${listed}; no request was sent. A new endpoint is added there, where a reviewer approves it (or use endpoint: sandbox)`,
      ...doc.source.positionOf('/spec/endpoint'),
      address: doc.address,
    });
  }
  return out;
}
