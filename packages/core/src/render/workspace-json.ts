/** `roster workspace list --format json` (schemas/workspace-list.schema.json). */
export interface WorkspaceListJson {
  /** The selected workspace (`--workspace`, `ROSTER_WORKSPACE`, the Backend document, or default). */
  current: string;
  /** Whether `current` exists; when it does not, the command exits 1 after printing this document. */
  currentExists: boolean;
  workspaces: string[];
}

/** `roster workspace show --format json` (schemas/workspace-show.schema.json). */
export interface WorkspaceShowJson {
  workspace: string;
}

export function workspaceListJson(current: string, all: readonly string[]): WorkspaceListJson {
  return { current, currentExists: all.includes(current), workspaces: [...all] };
}
