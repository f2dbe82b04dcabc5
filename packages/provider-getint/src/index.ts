import provider from './provider.js';

export default provider;
export { ACCOUNT_REQUIREMENTS, GENERAL_REQUIREMENTS, GETINT_APPS, type GetintApp } from './apps.js';
export { checkConnections } from './checks.js';
export { configSchema, DEFAULT_PERSONAL_PATTERN, type GetintConfig } from './config.js';
export { GetintConnection } from './connection.js';
export { type ConnectorSpec, connectorKind, connectorRunbook } from './kinds/connector.js';
export { startConsole } from './sandbox/console-server.js';
export { type SandboxConnection, SandboxStore } from './sandbox/store.js';
