import provider from './provider.js';

export default provider;
export { FaultSwitch, faultsFromEnv, SANDBOX_FAULT_ENV, type SimulatorFaults } from '@roster/sim-kit';
export {
  AfasClient,
  type AfasClientOptions,
  type Filter,
  filterParams,
  type GetConnectorPage,
  type GetOptions,
  MAX_QUERY_LENGTH,
  type MetaInfo,
  OPERATOR,
  type OperatorType,
  type Row,
  retryAfterMs,
} from './client.js';
export { AfasApiError, AfasNetworkError, parseErrorBody } from './client-errors.js';
export {
  type AfasConfig,
  configSchema,
  DEFAULT_ALL_USERS_GROUP,
  DEFAULT_GET_CONNECTORS,
  readConfig,
  SANDBOX_PLACEHOLDER_TOKEN,
} from './config.js';
export { AfasConnection } from './connection.js';
export { checkEffectiveAccess } from './kinds/access-check.js';
export { type ConnectorSpec, connectorKind } from './kinds/connector.js';
export { type GroupSpec, groupKind } from './kinds/group.js';
export { type ServiceAccountSpec, serviceAccountKind } from './kinds/service-account.js';
export { SandboxConsole, SandboxConsoleError, SandboxOperator } from './operator.js';
export { type ClientTuning, connectAfas } from './provider.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './simulator/server.js';
export { SimStore } from './simulator/store.js';
export { authorizationHeader, normalizeToken, parseAuthorization, tokenXml } from './token.js';
