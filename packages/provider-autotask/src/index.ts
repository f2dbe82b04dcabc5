import provider from './provider.js';

export default provider;
export { FaultSwitch, faultsFromEnv, SANDBOX_FAULT_ENV, type SimulatorFaults } from '@roster/sim-kit';
export { checkProvider } from './checks.js';
export {
  AutotaskClient,
  type AutotaskClientOptions,
  type AutotaskCredentials,
  clearZoneCache,
  type FieldInfo,
  type FilterCondition,
  type QueryRequest,
  type Row,
  retryAfterMs,
  type ThresholdInfo,
} from './client.js';
export {
  AutotaskApiError,
  AutotaskBudgetError,
  AutotaskNetworkError,
  parseErrorBody,
} from './client-errors.js';
export {
  configSchema,
  readConfig,
  restRoot,
  SANDBOX_PLACEHOLDER_CREDENTIALS,
  ZONE_LOOKUP_URL,
} from './config.js';
export { AutotaskConnection, AutotaskSandboxConnection } from './connection.js';
export * from './facts.js';
export { accountNames, apiUserRunbook, securityLevelRunbook } from './kinds/runbooks.js';
export { type SecurityLevelSpec, securityLevelKind } from './kinds/security-level.js';
export { normalizeEmail, type ServiceAccountSpec, serviceAccountKind } from './kinds/service-account.js';
export { SandboxOperator } from './operate.js';
export { type ClientTuning, connectAutotask } from './provider.js';
export { ApiUsers } from './remote/api-users.js';
export { SANDBOX_THRESHOLD_ENV, thresholdFromEnv } from './sandbox.js';
export {
  type ConsoleApiUser,
  type ConsoleSecurityLevel,
  SandboxConsole,
  SandboxConsoleError,
} from './sandbox-console.js';
export type { SimCredentials } from './simulator/auth.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './simulator/server.js';
export { SimStore } from './simulator/store.js';
export { DEFAULT_HOURLY_THRESHOLD, type ThresholdSettings } from './simulator/threshold.js';
