/**
 * `roster sandbox serve --format json` (schemas/sandbox-serve.schema.json): printed once, on one
 * line, when the sandbox listens (the process then runs until SIGINT or SIGTERM). Never the console
 * secret itself: that stays on stderr and in `consoleTokenFile`.
 */
export interface SandboxServeJson {
  /** The Provider document served (`--provider`). */
  provider: string;
  /** Its provider type (spec.type). */
  type: string;
  /** Base URL, on the system's real API paths; the admin console is under `/__sandbox/`. */
  url: string;
  /** The 0600 file holding the admin console's per-run secret, when the sandbox has a console. */
  consoleTokenFile?: string;
}
