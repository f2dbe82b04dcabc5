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
