import path from 'node:path';

/**
 * Where a pull-request comment (or a drift issue) comes from and how its plan is applied: data the
 * CLI gathers from its options and the CI's environment, so rendering reads no environment itself.
 */
export interface CommentContext {
  /**
   * The project directory as the heading names it: relative to the repository root (else the working
   * directory), `.` for the root itself. Never an absolute path of the machine that ran roster.
   */
  projectDir: string;
  /** The state workspace the plan was made against. */
  workspace: string;
  /**
   * Absolute directories the run used: manifest paths (relative to `cwd`) are written relative to
   * `project`, and these prefixes are cut from messages (a state location), most specific first.
   */
  paths?: { cwd: string; project: string };
  /** The CI run that made the comment (GitHub Actions, GitLab CI), when its variables were set. */
  runUrl?: string;
  /** How this plan is applied: the "To apply" line of a plan comment. */
  apply?: {
    /** The command, e.g. `roster apply plan.json` or `roster apply -f infra`. */
    command: string;
    /** Whether the command applies this very plan (a saved plan file) rather than planning again. */
    savedPlan: boolean;
    /** What happens on merge, in the pipeline's own words (`--apply-note`); replaces the default sentence. */
    note?: string;
  };
}

/**
 * A hidden marker naming the command, project directory and workspace, first in the comment: a
 * pipeline finds its own sticky comment by it, so two roster projects in one repository (or two
 * workspaces of one) keep two comments.
 */
export function commentMarker(command: string, ctx: CommentContext | undefined): string {
  if (!ctx) return `<!-- roster-${command} -->`;
  const safe = (s: string) => s.replace(/--/g, '-%2D').replace(/[<>]/g, (c) => encodeURIComponent(c));
  return `<!-- roster-${command} dir=${safe(ctx.projectDir)} workspace=${safe(ctx.workspace)} -->`;
}

/** `### roster plan · `infra/roster` · workspace `prod` · 3 changes (…)`. */
export function commentHeading(command: string, ctx: CommentContext | undefined, counts: string): string {
  const where = ctx ? ` · ${code(ctx.projectDir)} · workspace ${code(ctx.workspace)}` : '';
  return `### roster ${command}${where} · ${counts}`;
}

/** `[CI run](url)` as its own line, or nothing. */
export function runLine(ctx: CommentContext | undefined): string[] {
  return ctx?.runUrl ? [`CI run: ${ctx.runUrl}`] : [];
}

/**
 * A manifest path (relative to the working directory, as diagnostics carry it) relative to the
 * project. A file outside the project keeps its relative path; an absolute one outside both keeps
 * only its name: a comment never shows a directory of the machine that ran roster.
 */
export function projectFile(file: string, ctx: CommentContext | undefined): string {
  if (!ctx?.paths) return file;
  const abs = path.resolve(ctx.paths.cwd, file);
  const rel = path.relative(ctx.paths.project, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return path.isAbsolute(file) ? path.basename(file) : file;
}

/** A message with the run's absolute directories cut to relative paths (a state location). */
export function projectText(text: string, ctx: CommentContext | undefined): string {
  if (!ctx?.paths) return text;
  let out = text;
  for (const dir of [ctx.paths.project, ctx.paths.cwd]) {
    out = out.split(`${dir}${path.sep}`).join('');
  }
  return out;
}

/** A code span that survives backticks in its text. */
function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}
