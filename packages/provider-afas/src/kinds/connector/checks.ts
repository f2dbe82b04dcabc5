import type { CheckRequest, CheckResult } from '@roster/core';
import { connectorLists } from './runbook.js';
import type { ConnectorSpec } from './spec.js';

/** An app connector that includes no connector lets its users exchange nothing. */
export function checkConnector(req: CheckRequest): CheckResult {
  const s = req.spec as Partial<ConnectorSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  if (connectorLists(s.getConnectors).length === 0 && connectorLists(s.updateConnectors).length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'afas.connector-empty',
      message: `app connector '${s.description}' includes no GetConnectors or UpdateConnectors: its users can exchange no data`,
      path: '/getConnectors',
    });
  }
  return { diagnostics };
}
