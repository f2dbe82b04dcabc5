export {
  PostgresStateBackend,
  type PostgresStateBackendOptions,
  redactUrl,
  WORKSPACE_PATTERN,
} from './backend.js';
export { PostgresFleetResults } from './fleet-results.js';
export { MIGRATIONS, migrate } from './migrations.js';
