import provider from './provider.js';

export default provider;
export { FaultSwitch, faultsFromEnv, SANDBOX_FAULT_ENV, type SimulatorFaults } from '@roster/sim-kit';
export { checkOwners, checkProvider } from './checks.js';
export { configSchema, DELIMITERS, type ProlianceConfig, readConfig } from './config.js';
export { ProlianceConnection } from './connection.js';
export {
  type CsvOptions,
  type CsvRecord,
  CsvSyntaxError,
  csvField,
  decodeText,
  parseCsv,
  writeCsv,
} from './export/csv.js';
export {
  type AccountRow,
  type AccountType,
  type ContactRow,
  type ExportFiles,
  type ParsedExport,
  REGISTER_NAMES,
  REGISTERS,
  type RegisterName,
  type RoleRow,
  type StaffRow,
} from './export/format.js';
export {
  ExportError,
  filesIn,
  parseAccounts,
  parseContacts,
  parsePermissions,
  parseSecurityRoles,
  parseStaff,
  readExport,
} from './export/read-export.js';
export { ExportSource, type ExportSourceOptions } from './export/source.js';
export { accountToRemote, exportObjects, roleToRemote } from './export/to-remote.js';
export { type Owner, ownerKey, RIGHTS, type Right } from './kinds/common.js';
export { type SecurityLevelSpec, securityLevelKind } from './kinds/security-level.js';
export { type ServiceAccountSpec, serviceAccountKind } from './kinds/service-account.js';
export { SandboxConsole, SandboxConsoleError, SandboxOperator } from './operator.js';
export { type ConsoleTuning, connectProliance } from './provider.js';
export { seedRegisters } from './simulator/records.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './simulator/server.js';
export { RegisterStore } from './simulator/store.js';
