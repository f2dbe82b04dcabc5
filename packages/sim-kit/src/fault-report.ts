import type { Logger } from '@roster/core';
import type { InjectedFaults } from './faults.js';

/**
 * One debug line with the faults a sandbox injected during a run (`-v`), when there were any: the
 * fault tests read it to report how much the run had to ride out.
 */
export function logInjectedFaults(log: Logger, label: string, n: InjectedFaults): void {
  if (n.errors + n.throttles + n.dropsBefore + n.dropsAfter === 0) return;
  log.debug(
    `${label}: sandbox faults injected: ${n.errors} errors (5xx), ${n.throttles} throttled (429), ${n.dropsBefore + n.dropsAfter} dropped connections (${n.dropsAfter} after the change was made)`,
  );
}
