export { faultsFromEnv, SANDBOX_FAULT_ENV } from './fault-env.js';
export { type FaultDecision, FaultSwitch, FaultSwitchError, type SimulatorFaults } from './faults.js';
export { acquireFileLock, type FileLock, type FileLockOptions } from './file-lock.js';
