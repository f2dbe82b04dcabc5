import type { JsonSchema } from '../provider.js';

/**
 * `http://127.0.0.1:PORT` (or `localhost`, `[::1]`), optionally with a path: the address
 * `roster sandbox serve` prints. Only loopback is accepted over plain HTTP, so a real system is
 * never reached without TLS.
 */
export const LOOPBACK_URL_PATTERN = '^http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?(/[^\\s]*)?$';

/** An https URL: a host, optionally a path, no white space. */
export const HTTPS_URL_PATTERN = '^https://[^\\s/]+(/[^\\s]*)?$';

const loopback = new RegExp(LOOPBACK_URL_PATTERN);

/** `http://127.0.0.1:PORT` and the like: a sandbox served on this machine, never a real system. */
export function isLoopback(url: string): boolean {
  return loopback.test(url);
}

/** Whether an endpoint is a sandbox: the embedded simulator (`sandbox`) or one served on loopback. */
export function isSandboxEndpoint(endpoint: string): boolean {
  return endpoint === 'sandbox' || isLoopback(endpoint);
}

/** What a provider says about its `endpoint` setting; the sandbox and loopback choices are the same everywhere. */
export interface EndpointSchemaOptions {
  /** The whole setting, as the editor shows it. */
  description: string;
  /** What the https URL names in this system (e.g. `API host over HTTPS.`). */
  https: string;
  default?: string;
  /** Values other than `sandbox` with a meaning of their own (e.g. `auto`), listed first. */
  named?: ReadonlyArray<{ const: string; description: string }>;
}

/**
 * JSON Schema of a Provider document's `endpoint`: the named values, `sandbox` (the embedded
 * simulator), an https URL, or the loopback URL of a served sandbox.
 */
export function endpointSchema(opts: EndpointSchemaOptions): JsonSchema {
  return {
    description: opts.description,
    ...(opts.default !== undefined ? { default: opts.default } : {}),
    anyOf: [
      ...(opts.named ?? []).map((n) => ({ const: n.const, description: n.description })),
      { const: 'sandbox', description: 'The embedded simulator.' },
      { type: 'string', pattern: HTTPS_URL_PATTERN, description: opts.https },
      { type: 'string', pattern: LOOPBACK_URL_PATTERN, description: 'A sandbox served on this machine.' },
    ],
  };
}
