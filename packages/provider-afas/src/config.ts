import { credentialsOrPlaceholder, endpointSchema, isLoopback, type Secret, UserError } from '@roster/core';
import { normalizeToken, tokenXml } from './client/token.js';

/** GetConnectors roster reads users and group memberships with, unless the provider spec names others. */
export const DEFAULT_GET_CONNECTORS = { users: 'Profit_Users', userGroups: 'Profit_UserGroups' } as const;

/**
 * Code of the group every Profit user belongs to ("Everybody", "All Profit users"). Its
 * memberships are implicit: they are left out of a ServiceAccount's `groups`, and never changed.
 */
export const DEFAULT_ALL_USERS_GROUP = 'Everybody';

/** Environment types and the host part AFAS Online uses for each. */
export const ENVIRONMENT_HOSTS = { production: 'rest', test: 'resttest', accept: 'restaccept' } as const;
export type EnvironmentType = keyof typeof ENVIRONMENT_HOSTS;

/**
 * What a sandbox client sends when the Provider document declares no credentials: a simulator
 * started without credentials accepts any token, so this only has to be well-formed.
 */
export const SANDBOX_PLACEHOLDER_TOKEN = tokenXml('0'.repeat(56) + '5A4DB0C5');

const CONNECTOR_ID = '^[A-Za-z0-9_.-]{1,100}$';

/** JSON Schema of the Provider document's `spec` for `type: afas`. */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/afas/Provider.schema.json',
  title: 'AFAS Profit provider',
  description:
    'An AFAS Profit environment reached through the REST API (ProfitRestServices), or its local sandbox. Give endpoint or environmentId.',
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  anyOf: [{ required: ['endpoint'] }, { required: ['environmentId'] }],
  properties: {
    type: { const: 'afas', description: 'Provider type.' },
    endpoint: endpointSchema({
      description:
        'sandbox (the simulator, persisted under .roster/sandbox/), the https URL of ProfitRestServices (e.g. https://12345.rest.afas.online/ProfitRestServices), or the http://127.0.0.1:PORT of `roster sandbox serve`.',
      https: 'REST services over HTTPS.',
    }),
    environmentId: {
      type: 'string',
      pattern: '^[0-9]{5}$',
      description:
        'AFAS Online environment number (5 digits); with environmentType it gives https://{id}.rest{,test,accept}.afas.online/ProfitRestServices.',
    },
    environmentType: {
      enum: Object.keys(ENVIRONMENT_HOSTS),
      default: 'production',
      description:
        'production (environment names starting with O), test (T) or accept (A). Only with environmentId.',
    },
    integrationId: {
      type: 'string',
      pattern: '^[0-9]+_[0-9]+$',
      description:
        'IntegrationId header (<subscription number>_<project number>), mandatory for certified partners.',
    },
    getConnectors: {
      type: 'object',
      additionalProperties: false,
      description: 'GetConnectors roster reads with; both must be on the app connector of roster’s token.',
      properties: {
        users: {
          type: 'string',
          pattern: CONNECTOR_ID,
          default: DEFAULT_GET_CONNECTORS.users,
          description:
            'Users, one row each (fields UserId, Description, Blocked, Email, Windows, InSite, …).',
        },
        userGroups: {
          type: 'string',
          pattern: CONNECTOR_ID,
          default: DEFAULT_GET_CONNECTORS.userGroups,
          description: 'Group memberships, one row per user and group (fields GroupId, Decription, UserId).',
        },
      },
    },
    allUsersGroup: {
      type: 'string',
      minLength: 1,
      maxLength: 20,
      default: DEFAULT_ALL_USERS_GROUP,
      description:
        'Code of the built-in group every user belongs to; its memberships are implicit and never changed.',
    },
    credentials: {
      type: 'object',
      description:
        'The user token roster itself uses (an app connector with the GetConnectors above and UpdateConnector KnUser); ${env:NAME} or ${file:path}.',
      additionalProperties: false,
      required: ['token'],
      properties: {
        token: {
          type: 'string',
          description:
            'The token as AFAS showed it (<token><version>1</version><data>…</data></token>) or its data part.',
        },
      },
    },
  },
} as const;

/** The Provider document's settings, defaults applied. */
export interface AfasConfig {
  /** `sandbox`, or the ProfitRestServices URL without a trailing slash. */
  endpoint: string;
  /** Environment number, when given (the sandbox reports it in `/MetaInfo`). */
  environmentId?: string;
  integrationId?: string;
  getConnectors: { users: string; userGroups: string };
  allUsersGroup: string;
}

export function readConfig(name: string, config: Record<string, unknown>): AfasConfig {
  const environmentId = typeof config.environmentId === 'string' ? config.environmentId : undefined;
  const rawEndpoint = typeof config.endpoint === 'string' ? config.endpoint.trim() : undefined;
  if (rawEndpoint && environmentId && rawEndpoint !== 'sandbox') {
    throw new UserError(
      `provider ${name}: give endpoint or environmentId, not both (environmentId ${environmentId} already names the URL)`,
    );
  }
  let endpoint: string;
  if (rawEndpoint) {
    endpoint = rawEndpoint === 'sandbox' ? 'sandbox' : restBase(rawEndpoint);
    if (endpoint !== 'sandbox' && !endpoint.startsWith('https://') && !isLoopback(endpoint)) {
      throw new UserError(
        `provider ${name}: endpoint ${rawEndpoint} must be sandbox, an https:// URL, or a loopback http:// URL of a served sandbox`,
      );
    }
  } else if (environmentId) {
    const type = (config.environmentType ?? 'production') as string;
    const host = ENVIRONMENT_HOSTS[type as EnvironmentType];
    if (!host) throw new UserError(`provider ${name}: environmentType must be production, test or accept`);
    endpoint = `https://${environmentId}.${host}.afas.online/ProfitRestServices`;
  } else {
    throw new UserError(
      `provider ${name}: give endpoint (sandbox or the ProfitRestServices URL) or environmentId (the 5-digit environment number)`,
    );
  }
  const gc = (config.getConnectors ?? {}) as Record<string, unknown>;
  return {
    endpoint,
    ...(environmentId ? { environmentId } : {}),
    ...(typeof config.integrationId === 'string' ? { integrationId: config.integrationId } : {}),
    getConnectors: {
      users: typeof gc.users === 'string' ? gc.users : DEFAULT_GET_CONNECTORS.users,
      userGroups: typeof gc.userGroups === 'string' ? gc.userGroups : DEFAULT_GET_CONNECTORS.userGroups,
    },
    allUsersGroup: typeof config.allUsersGroup === 'string' ? config.allUsersGroup : DEFAULT_ALL_USERS_GROUP,
  };
}

/**
 * The ProfitRestServices base of a URL: kept when it already ends in it (any case, as AFAS docs
 * spell it both ways), appended to a bare host (a served sandbox prints only its origin).
 */
export function restBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (/\/profitrestservices$/i.test(trimmed)) return trimmed;
  try {
    const u = new URL(trimmed);
    if (u.pathname === '/' || u.pathname === '') return `${u.origin}/ProfitRestServices`;
  } catch {
    return trimmed;
  }
  return trimmed;
}

/**
 * The token the client sends: the declared one (checked for shape, never shown); or, for a
 * sandbox that declares none, a placeholder such a sandbox accepts.
 */
export function clientToken(
  name: string,
  cfg: AfasConfig,
  creds: Record<string, Secret | undefined>,
): Secret | string {
  const token = creds.token;
  if (token) {
    try {
      normalizeToken(token.reveal());
    } catch (err) {
      throw new UserError(`provider ${name}: credentials.token (${token.origin}): ${(err as Error).message}`);
    }
  }
  return credentialsOrPlaceholder<Secret | string>({
    name,
    endpoint: cfg.endpoint,
    declared: token,
    placeholder: SANDBOX_PLACEHOLDER_TOKEN,
    needs: `credentials.token (the user token of roster's app connector), e.g. token: \${env:AFAS_TOKEN}`,
  });
}

/** The token a sandbox simulator accepts as roster's own: the declared one, or none (accept any). */
export function simulatorToken(name: string, creds: Record<string, Secret | undefined>): string | undefined {
  const token = creds.token;
  if (!token) return undefined;
  try {
    return normalizeToken(token.reveal());
  } catch (err) {
    throw new UserError(`provider ${name}: credentials.token (${token.origin}): ${(err as Error).message}`);
  }
}
