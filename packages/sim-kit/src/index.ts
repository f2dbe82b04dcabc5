export { faultsFromEnv, SANDBOX_FAULT_ENV } from './fault-env.js';
export { logInjectedFaults } from './fault-report.js';
export {
  type FaultDecision,
  FaultSwitch,
  FaultSwitchError,
  type InjectedFaults,
  type SimulatorFaults,
} from './faults.js';
export { acquireFileLock, type FileLock, type FileLockOptions } from './file-lock.js';
export { type HttpServer, type HttpServerOptions, startHttpServer } from './http-server.js';
export { type AtomicFileWriter, JournaledStore, type JournaledStoreOptions } from './journaled-store.js';
export { JournaledTables, type TablesJournal } from './journaled-tables.js';
export { type JsonReply, sendJsonReply } from './json-reply.js';
export type {
  ProviderSandbox,
  SandboxFaults,
  SandboxServeRequest,
  SandboxServer,
} from './provider-sandbox.js';
export { readRequestBody, readSandboxBody } from './request-body.js';
export {
  CONSOLE_TOKEN_ENV,
  CONSOLE_TOKEN_HEADER,
  consoleHeaders,
  consoleTokenFromEnv,
  type GuardOptions,
  guardRequest,
  isLoopbackHost,
  MAX_SANDBOX_BODY,
  newConsoleToken,
} from './sandbox-guard.js';
export { type RunningSimulator, servedSandbox, serveOptions, simulatorCloser } from './sandbox-lifecycle.js';
export {
  faultSwitchOf,
  listenOptions,
  type SimulatorBase,
  type SimulatorBaseOptions,
  storeOptions,
} from './simulator-options.js';
export {
  type JournalOp,
  type KeyedRecord,
  type StoreTable,
  TableTransaction,
} from './table-transaction.js';
export {
  type ContractChecker,
  type ContractOperation,
  contractChecker,
  loadWireContract,
  type RecordingProxy,
  recordSimulator,
  startRecordingProxy,
  type WireContract,
  type WireExchange,
  type WireSchema,
} from './wire-contract.js';
