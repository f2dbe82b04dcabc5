// biome-ignore-all assist/source/organizeImports: grouped by audience, not sorted by path.
/**
 * The public API of `@roster/core`: every name is exported deliberately, for the audience its group
 * names. Helpers not listed here stay internal (modules inside core import each other by relative
 * path). `public-api.test.ts` lists the surface, so a change to it is a visible diff in review.
 */

// Provider contract and kit: what a provider package implements and builds from
// (docs/architecture.md, "Adding a provider"); also the types the CLI passes through.
export type {
  AttributeRule,
  CheckedResource,
  CheckRequest,
  CheckResult,
  ConnectionStats,
  ConnectRequest,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  DeleteResult,
  Execution,
  JsonSchema,
  KindApi,
  KindDefinition,
  KindRequest,
  KindRole,
  KindRunbook,
  ListRequest,
  ListResult,
  ManualOperation,
  OperateRequest,
  OperateResult,
  Operation,
  Provider,
  ProviderCheckRequest,
  ProviderCheckResult,
  ProviderConnection,
  ReadRequest,
  ReadResult,
  RemoteObject,
  ResolvedRef,
  RotateRequest,
  RunbookRequest,
  RunbookStep,
  TestRequest,
  TestResult,
  UpdateRequest,
  UpdateResult,
} from './provider.js';
export { type KindCapabilities, kindCapabilities } from './kind-operations.js';
export type {
  SandboxConsole,
  SandboxConsoleRequest,
  SandboxHost,
  SandboxHosts,
  SandboxStartRequest,
  StartedSandbox,
} from './sandbox-host.js';
export {
  credentialsOrPlaceholder,
  declaredCredentials,
  declaredValues,
} from './provider-kit/declared-credentials.js';
export {
  endpointSchema,
  type EndpointSchemaOptions,
  HTTPS_URL_PATTERN,
  isLoopback,
  isSandboxEndpoint,
  LOOPBACK_URL_PATTERN,
} from './provider-kit/endpoint.js';
export { compareText, refSchema, sortedRefs } from './provider-kit/ref-schema.js';
export { notSignedIn, signInPreamble, type SignInPreamble } from './provider-kit/sign-in-preamble.js';
export {
  bool,
  choice,
  credentials,
  type Field,
  type FieldOptions,
  int,
  list,
  map,
  obj,
  type ObjectOf,
  oneOf,
  ref,
  refs,
  type RuleOptions,
  secretPlace,
  type Spec,
  spec,
  type SpecOf,
  str,
  type ValueOf,
} from './provider-kit/spec.js';
export { EMAIL_PATTERN } from './match/email.js';
export { compileUserRegExp, type UserRegExp, UserRegExpError } from './match/user-regexp.js';
export type { Permission, PermissionsRequest, World, WorldResource } from './permissions/types.js';
export { makeWorld } from './permissions/world.js';
export type { PolicyContext, PolicyRule } from './policy/types.js';
export type { PolicyAccount, PolicyChange, PolicyView, PolicyViewRequest } from './policy/view.js';
export type { SodReport, SodReportEntry } from './sod/report.js';
export type { SodConflict, SodPack, SodRule } from './sod/types.js';

// Manifests and project loading: manifests, the project, credentials, refresh, export, import.
export { formatManifestFiles } from './format/format-files.js';
export { buildEnvelopeSchema } from './manifest/envelope-schema.js';
export { loadManifests } from './manifest/load.js';
export { buildProjectSchema, providerInstances } from './manifest/project-schema.js';
export { withReadCredentials } from './manifest/read-credentials.js';
export { SchemaValidator } from './manifest/schema-validator.js';
export { providerToExport, readForExport } from './project/export-read.js';
export { exportFiles, manifestsYaml } from './project/export-yaml.js';
export { importObject, importTarget } from './project/import-object.js';
export { type ConfiguredProvider, openProject, type Project, projectDirOf } from './project/project.js';
export {
  DEFAULT_REFRESH_CONCURRENCY,
  MAX_REFRESH_CONCURRENCY,
  type RefreshMode,
  validRefreshConcurrency,
} from './project/refresh-per-object.js';
export { Connections, requireAllCredentials, sandboxDirOf } from './project/refresh.js';
export { missingStateDiagnostic, unknownAddressDiagnostics } from './project/refuse-guess.js';

// Plan, apply and drift orchestration for the CLI.
export { type ApplyIO, type ApplyOutcome, applyProject } from './apply/apply-project.js';
export { executePlan } from './apply/execute.js';
export { journalPath } from './apply/journal.js';
export type { ManualOperator, ManualStepOutcome, ManualStepRequest } from './apply/manual.js';
export type { CrashPhase } from './apply/operation-journal.js';
export { readRunJournal, unfinishedAddresses } from './apply/reconcile.js';
export { makePlan, planProject } from './project/run.js';
export { renderAccountTests, testAccounts } from './project/test-accounts.js';
export {
  recordSignIns,
  SIGNED_IN_AT_HOOK_ENV,
  type SignIn,
  saveSignIns,
  signInsOf,
  signInTime,
} from './project/record-sign-ins.js';
export type { DriftClasses } from './drift/classes.js';
export { loadDriftBaseline } from './drift/ignore-file.js';
export { buildDriftReport, driftFound } from './drift/report.js';
export { detectUnmanaged } from './drift/unmanaged.js';
export { stableStringify } from './plan/canonical.js';
export { readPlanFile, writePlanFile } from './plan/plan-file.js';
export { PLAN_KEY_ENV, planChecksum, planKeyFromEnv } from './plan/plan-signature.js';
export { remoteFingerprint } from './plan/remote-fingerprint.js';
export type { RemoteSnapshot } from './plan/remote-snapshot.js';
export { planBlocked } from './plan/review.js';
export { summarizeChanges } from './plan/summary.js';
export { type Plan, PLAN_FORMAT_VERSION, type PlannedChange } from './plan/types.js';
export { POLICY_SPEC_SCHEMA } from './policy/config.js';
export { findingsAsDiagnostics } from './policy/evaluate.js';
export { policyView } from './policy/view.js';
export { renderSodText } from './render/sod.js';
export { mergeSodPacks, sodConflicts, sodSubjects } from './sod/engine.js';
export { buildSodReport, sodConflictsFound } from './sod/report.js';
// roster inventory: every account the systems hold (docs/design-notes.md, "The inventory").
export { buildInventory, type BuildInventoryRequest, inventoryBlocking } from './inventory/build.js';
export type {
  InventoryAccount,
  InventoryConflict,
  InventoryFinding,
  InventoryPermission,
  InventoryReport,
  InventoryStatus,
  LastUsed,
} from './inventory/types.js';
export { INVENTORY_CSV_COLUMNS, renderInventoryCsv } from './render/inventory-csv.js';
export { renderInventoryText } from './render/inventory-text.js';
export type { ProgressListener } from './progress.js';

// Fleet mode: one baseline over many tenants, each in its own state (docs/design-notes.md, "Fleet mode").
export { type Alignment, alignmentOf, formatAlignment } from './fleet/alignment.js';
export { FleetApplyLog, type FleetApplyProgress, fleetRunId } from './fleet/apply-progress.js';
export { type DriftGroup, groupDrift } from './fleet/drift-groups.js';
export { FLEET_SCHEMA, type FleetSettings, TENANT_SCHEMA } from './fleet/fleet-document.js';
export { type FleetResults, LocalFleetResults } from './fleet/fleet-results.js';
export { type Fleet, loadFleet, type TenantSource } from './fleet/load-fleet.js';
export { type FleetRun, fleetExitCode, type RunFleetRequest, runFleet } from './fleet/run-fleet.js';
export {
  type RunTenantRequest,
  runTenant,
  type TenantRunIO,
  type TenantRunOptions,
} from './fleet/run-tenant.js';
export type { DeviationSummary, TenantDocuments } from './fleet/tenant-documents.js';
export { openTenantProject, type TenantProject, tenantStateDir } from './fleet/tenant-project.js';
export type { FleetCommand, TenantDriftItem, TenantResult } from './fleet/tenant-result.js';
export { parseTenantSelector, type SelectableTenant } from './fleet/tenant-selector.js';

// Rendering: text, Markdown and JSON documents the CLI prints.
export { applyDocument } from './render/apply-json.js';
export { batonFile, renderBaton } from './render/baton.js';
export type { BatonFile } from './render/baton-file-format.js';
export { renderExecuteEvent } from './render/apply-summary.js';
export type { CommentContext } from './render/comment.js';
export { driftJson } from './render/drift-json.js';
export { type FleetDocument, type FleetTotals, fleetDocument, fleetTotals } from './render/fleet-json.js';
export { renderFleetMarkdown } from './render/fleet-markdown.js';
export { type QueuedJobRow, renderQueuedJobs } from './render/fleet-queue-text.js';
export { renderFleetText } from './render/fleet-text.js';
export { renderDriftMarkdown, renderDriftText } from './render/drift.js';
export { exportJson, type ExportJson } from './render/export-json.js';
export { fmtJson } from './render/fmt-json.js';
export { importJson } from './render/import-json.js';
export { renderInventoryHtml } from './render/html/inventory.js';
export { renderReviewHtml } from './render/html/review.js';
export { renderPlanMarkdown } from './render/markdown.js';
export { plural } from './render/plural.js';
export { ProgressLine } from './render/progress-line.js';
export { describeProviders, renderProvidersText } from './render/providers.js';
export { renderRunbookStep } from './render/runbook.js';
export type { SandboxServeJson } from './render/sandbox-json.js';
export { stateListJson, stateShowJson } from './render/state-json.js';
export { renderPlanText } from './render/text.js';
export { validateJson } from './render/validate-json.js';
export { renderVersionText, type VersionInfo } from './render/version.js';
export { workspaceListJson, type WorkspaceShowJson } from './render/workspace-json.js';

// State backends: the state document, locks, workspaces and the local backend; state-postgres
// implements the same interfaces.
export type { AuditEntry } from './apply/audit.js';
export type { JournalEntry } from './apply/journal.js';
export { BACKEND_SPEC_SCHEMA, type BackendSettings } from './state/backend-document.js';
export { emptyStateDocument, parseStateDocument, serializeStateDocument } from './state/document.js';
export { LocalStateBackend } from './state/local-backend.js';
export { describeLockInfo, formatWait, newLockInfo } from './state/lock.js';
export { migrateState } from './state/migrate.js';
export {
  attributeProvenance,
  listAddresses,
  moveResource,
  removeResources,
  showResource,
} from './state/operations.js';
export {
  type JournalStore,
  LockedError,
  type LockInfo,
  SerialConflictError,
  type StateBackend,
  type StateDocument,
  type StateResource,
} from './state/types.js';
export { withStateLock } from './state/with-lock.js';
export {
  createWorkspace,
  DEFAULT_WORKSPACE,
  deleteWorkspace,
  isWorkspaceBackend,
  listWorkspaces,
  requireWorkspace,
  WORKSPACE_NAME_PATTERN,
  type WorkspaceBackend,
} from './state/workspaces.js';

// Access reviews (issue 20): the frozen population, its checks and its evidence.
export { readAuditLog } from './apply/audit-read.js';
export { renderReviewCheckText } from './render/review-check.js';
export { renderReviewCsv } from './render/review-csv.js';
export { renderReviewFile, renderReviewStarted } from './render/review-file.js';
export { checkReview, REVIEW_RULES } from './review/check/check-review.js';
export type { ReviewCheckContext } from './review/check/context.js';
export { declaredActiveAddresses, pendingAddresses } from './review/declared-active.js';
export { canonicalHash, populationHash } from './review/hash.js';
export { type ParsedReview, parseReviewText } from './review/parse-file.js';
export { REVIEW_PERIOD, startReview } from './review/population.js';
export { buildReviewReport, type ReviewPolicyException, type ReviewReportInput } from './review/report.js';
export { REVIEW_FILE_SCHEMA } from './review/schema.js';
export type {
  AccessReview,
  ReviewCommit,
  ReviewDecision,
  ReviewItem,
  ReviewProblem,
  ReviewReport,
} from './review/types.js';

// Errors, diagnostics and logging.
export {
  capDiagnostics,
  type Diagnostic,
  DiagnosticsError,
  formatDiagnostic,
  hasErrors,
  UserError,
} from './diagnostics.js';
export { type Logger, silentLogger, stderrLogger } from './logger.js';

// Secrets: values that never reach output, plan, state or logs unmasked.
export { fingerprintSecret, isSecret, Secret } from './secret.js';
