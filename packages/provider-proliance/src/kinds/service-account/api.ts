import { exportApi } from '../export-api.js';

/** Integration accounts are read from the Accounts register export; every change is a runbook step. */
export const serviceAccountApi = exportApi('ServiceAccount');
