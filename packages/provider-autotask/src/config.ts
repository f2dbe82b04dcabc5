import {
  credentialsOrPlaceholder,
  declaredCredentials,
  declaredValues,
  endpointSchema,
  isLoopback,
  type Secret,
  UserError,
} from '@roster/core';
import type { AutotaskCredentials } from './client/client.js';
import type { SimCredentials } from './sandbox/auth.js';

/** The host every Autotask database answers the zone lookup on (`ZoneInformation?user=`). */
export const ZONE_LOOKUP_URL = 'https://webservices.autotask.net/ATServicesRest';

/**
 * The tracking identifier of a sandbox's own calling user when no credentials are declared: the
 * sandbox accepts any username and secret then, but, as Autotask, only this `ApiIntegrationCode`
 * (roster sends it to such a sandbox; see `SANDBOX_PLACEHOLDER_CREDENTIALS`).
 */
export const SANDBOX_TRACKING_IDENTIFIER = 'ROSTERSANDBOXINTEGRATIONCOD';

/**
 * What a sandbox client sends when the Provider document declares no credentials: the simulator of
 * such a sandbox accepts any username and secret, and checks the integration code against its
 * calling user's tracking identifier, as Autotask does — this one.
 */
export const SANDBOX_PLACEHOLDER_CREDENTIALS: AutotaskCredentials = {
  username: 'roster-sandbox@roster-sandbox.local',
  secret: 'roster-sandbox',
  integrationCode: SANDBOX_TRACKING_IDENTIFIER,
};

/** JSON Schema of the Provider document's `spec` for `type: autotask`. */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/autotask/Provider.schema.json',
  title: 'Autotask PSA provider',
  description: 'An Autotask PSA database reached through the REST API (V1.0), or its local sandbox.',
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { const: 'autotask', description: 'Provider type.' },
    endpoint: endpointSchema({
      description:
        'auto (look the zone up from the API username, the default), sandbox (the simulator, persisted under .roster/sandbox/), the https URL of the zone (e.g. https://webservices2.autotask.net), or the http://127.0.0.1:PORT of `roster sandbox serve`.',
      default: 'auto',
      named: [{ const: 'auto', description: 'Zone lookup at webservices.autotask.net.' }],
      https: 'The zone over HTTPS.',
    }),
    apiBudget: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.5,
      description:
        "Share of the requests left in the database's hourly threshold (shared by every integration) that roster may use before it stops rather than starve the others; `--api-budget` overrides it.",
    },
    apiBudgetWaitSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: 900,
      default: 60,
      description:
        "When roster's API budget is spent, wait for the rolling hour to free its requests if that takes at most this long, instead of stopping.",
    },
    credentials: {
      type: 'object',
      description:
        'The API user roster signs in as, and its integration code; values as ${env:NAME} or ${file:path}.',
      additionalProperties: false,
      required: ['username', 'secret', 'integrationCode'],
      properties: {
        username: { type: 'string', description: 'Username (key) of the API user roster acts as.' },
        secret: { type: 'string', description: 'Password (secret) of that API user.' },
        integrationCode: {
          type: 'string',
          description: 'Tracking identifier sent as ApiIntegrationCode (the API user’s integration code).',
        },
      },
    },
  },
} as const;

/** The Provider document's settings, defaults applied. */
export interface AutotaskConfig {
  /**
   * `sandbox`, `auto` (zone lookup), or the REST root of a zone without a trailing slash, always
   * ending in `/ATServicesRest` (e.g. `https://webservices2.autotask.net/ATServicesRest`).
   */
  endpoint: string;
  /** Share (0–1] of the requests left in the hourly threshold that roster may use (default 0.5). */
  apiBudget: number;
  /** Wait this long at most for the window to free roster's requests (default 60 s). */
  apiBudgetWaitSeconds?: number;
}

/** Reduce a zone URL as people write it (host only, with `/ATServicesRest`, with `/V1.0/`) to the REST root. */
export function restRoot(url: string): string {
  let u = url.trim().replace(/\/+$/, '');
  u = u.replace(/\/v1\.0$/i, '');
  if (!/\/ATServicesRest$/i.test(u)) u = `${u}/ATServicesRest`;
  return u;
}

export function readConfig(name: string, config: Record<string, unknown>): AutotaskConfig {
  const raw = typeof config.endpoint === 'string' ? config.endpoint.trim() : 'auto';
  let endpoint: string;
  if (raw === 'sandbox' || raw === 'auto') endpoint = raw;
  else if (raw.startsWith('https://') || isLoopback(raw)) endpoint = restRoot(raw);
  else {
    throw new UserError(
      `provider ${name}: endpoint ${raw} must be auto, sandbox, an https:// URL of the zone, or a loopback http:// URL of a served sandbox`,
    );
  }
  const budget = config.apiBudget;
  if (budget !== undefined && (typeof budget !== 'number' || !(budget > 0) || budget > 1)) {
    throw new UserError(`provider ${name}: apiBudget must be a share between 0 (excluded) and 1`);
  }
  const wait = config.apiBudgetWaitSeconds;
  if (wait !== undefined && (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > 900)) {
    throw new UserError(
      `provider ${name}: apiBudgetWaitSeconds must be a whole number of seconds from 0 to 900`,
    );
  }
  return {
    endpoint,
    apiBudget: typeof budget === 'number' ? budget : 0.5,
    ...(typeof wait === 'number' ? { apiBudgetWaitSeconds: wait } : {}),
  };
}

/** The keys of `credentials` in the Provider document. */
const CREDENTIAL_KEYS = ['username', 'secret', 'integrationCode'] as const;

/**
 * What the client sends: the declared credentials (kept as secrets until a request needs them);
 * or, for a sandbox that declares none, placeholders that such a sandbox accepts.
 */
export function clientCredentials(
  name: string,
  cfg: AutotaskConfig,
  creds: Record<string, Secret | undefined>,
): AutotaskCredentials {
  return credentialsOrPlaceholder<AutotaskCredentials>({
    name,
    endpoint: cfg.endpoint,
    declared: declaredCredentials(name, creds, CREDENTIAL_KEYS),
    placeholder: SANDBOX_PLACEHOLDER_CREDENTIALS,
    needs: `credentials (username, secret, integrationCode), e.g. secret: \${env:AUTOTASK_SECRET}`,
  });
}

/** Credentials the simulator checks: the declared ones, or none (accept any client). */
export function simulatorCredentials(
  name: string,
  creds: Record<string, Secret | undefined>,
): SimCredentials | undefined {
  return declaredValues(name, creds, CREDENTIAL_KEYS);
}
