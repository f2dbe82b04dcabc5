import { exportApi } from '../export-api.js';

/** Security roles are read from the Security Roles register export; every change is a runbook step. */
export const securityLevelApi = exportApi('SecurityLevel');
