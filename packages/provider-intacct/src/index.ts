import provider from './provider.js';

export default provider;
export { FaultSwitch, faultsFromEnv, SANDBOX_FAULT_ENV, type SimulatorFaults } from '@roster/sim-kit';
export {
  IntacctClient,
  type IntacctClientOptions,
  type IntacctCredentials,
  type ObjectRef,
  type QueryBody,
  type Row,
  retryAfterMs,
} from './client.js';
export { IntacctApiError, IntacctNetworkError, parseErrorBody } from './client-errors.js';
export { configSchema, DEFAULT_ENDPOINT, SANDBOX_PLACEHOLDER_CREDENTIALS } from './config.js';
export { IntacctConnection } from './connection.js';
export { type GroupSpec, groupKind } from './kinds/group.js';
export { type SecurityLevelSpec, securityLevelKind } from './kinds/security-level.js';
export { type ServiceAccountSpec, serviceAccountKind } from './kinds/service-account.js';
export { type ClientTuning, connectIntacct } from './provider.js';
export { permissionsToIntacct, permissionsToSpec } from './remote/roles.js';
export type { SimCredentials } from './simulator/auth.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './simulator/server.js';
export { SimStore } from './simulator/store.js';
