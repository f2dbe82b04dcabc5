import { lstat, mkdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { PlannedChange } from '../plan/types.js';
import { fingerprintSecret, matchesFingerprint, type Secret } from '../secret.js';

/**
 * Where secrets a system shows once may be written. A manifest comes from a pull request, so its
 * `credentials: { secret: ${file:PATH} }` must not be a way to write any file roster can reach.
 */
export interface SecretPlaces {
  /** The project directory (the first `-f` directory, or the working directory). */
  projectDir: string;
  /** Directories outside the project the person running apply allows (`apply --secret-dir DIR`). */
  allowedDirs?: readonly string[];
  /**
   * roster's record of the files it stored (`.roster/stored-secrets.json`): path → salted
   * fingerprint of what it wrote. An existing file may be replaced only while it still holds that.
   */
  registryFile: string;
}

/** The registry's name in the state directory. */
export const STORED_SECRETS_FILE = 'stored-secrets.json';

interface Registry {
  version: 1;
  files: Record<string, string>;
}

/**
 * Why a secret shown once cannot be stored at `origin`, or undefined when it can. A `file:` place
 * must be
 * - inside the project directory or a directory given with `--secret-dir` (by real path: no
 *   directory on the way may be a link out of them);
 * - not a symbolic link itself, and not anything but a regular file;
 * - absent (a place not filled yet), or a file roster stored there itself and nobody changed since
 *   (a rotation replaces the secret of the last one) — never someone else's file.
 * An `env:` variable cannot be set from here: the reason is returned for the operator.
 */
export async function secretPlaceProblem(origin: string, places: SecretPlaces): Promise<string | undefined> {
  if (origin.startsWith('env:'))
    return `roster cannot set the environment variable ${origin.slice(4)}; use \${file:PATH} in credentials to have it stored`;
  if (!origin.startsWith('file:')) return `unknown place ${origin}`;
  const file = path.resolve(origin.slice(5));
  const roots = await realRoots(places);
  const dir = await nearestExisting(path.dirname(file));
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch {
    return `${file} cannot be checked: ${dir} is a link that leads nowhere`;
  }
  const inside = roots.some((r) => isInside(r, path.join(realDir, path.relative(dir, path.dirname(file)))));
  if (!inside) {
    return `${file} is outside the project directory ${places.projectDir}: roster stores a secret shown once only inside the project (or a directory given with apply --secret-dir)`;
  }
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `${file} cannot be checked (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  if (st.isSymbolicLink()) return `${file} is a symbolic link: roster never writes a secret through a link`;
  if (!st.isFile()) return `${file} exists and is not a regular file`;
  const recorded = (await readRegistry(places.registryFile)).files[file];
  const content = await readFile(file, 'utf8').catch(() => undefined);
  if (recorded === undefined || content === undefined || !matchesFingerprint(content, recorded)) {
    return `${file} already exists and roster did not store it (or it changed since): roster does not overwrite a file it did not write; move it away, or point credentials at a new file`;
  }
  return undefined;
}

/**
 * Write a secret a system showed once to the place a resource's `credentials` name, and nowhere
 * else, once `secretPlaceProblem` finds nothing wrong: a `file:` path is written atomically with
 * mode 0600 (its directory 0700 when created) and recorded in the registry. Returns why it was not
 * stored, for the operator.
 */
export async function storeSecret(
  origin: string,
  value: Secret,
  places: SecretPlaces,
): Promise<string | undefined> {
  const problem = await secretPlaceProblem(origin, places);
  if (problem) return problem;
  const file = path.resolve(origin.slice(5));
  const content = `${value.reveal()}\n`;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Checked again now the directories exist: nothing may have been swapped for a link meanwhile.
  const again = await secretPlaceProblem(origin, places);
  if (again) return again;
  await writeFileAtomic(file, content, { mode: 0o600 });
  const registry = await readRegistry(places.registryFile);
  registry.files[file] = fingerprintSecret(content);
  await mkdir(path.dirname(places.registryFile), { recursive: true, mode: 0o700 });
  await writeFileAtomic(places.registryFile, `${JSON.stringify(registry, null, 2)}\n`, { mode: 0o600 });
  return undefined;
}

/** `storeSecret` bound to the places of one run (what `ExecuteInput.storeSecret` takes). */
export function secretStore(places: SecretPlaces): {
  storeSecret(origin: string, value: Secret): Promise<string | undefined>;
  checkSecretPlace(origin: string): Promise<string | undefined>;
} {
  return {
    storeSecret: (origin, value) => storeSecret(origin, value, places),
    checkSecretPlace: (origin) => secretPlaceProblem(origin, places),
  };
}

/** Actions after which a system may show a secret once (a new account, new credentials). */
const SHOWS_SECRETS = new Set(['create', 'replace', 'rotate']);

/**
 * Every `file:` place a secret shown once may be stored by this plan's changes, each with why it
 * cannot be (`check` is `secretPlaceProblem` bound to the run's places). Run before anything is
 * applied: once a system has shown a secret, refusing to store it would lose it.
 */
export async function secretPlaceProblems(
  changes: readonly PlannedChange[],
  check: (origin: string) => Promise<string | undefined>,
): Promise<string[]> {
  const out: string[] = [];
  for (const c of changes) {
    const manualSecrets = (c.manual?.runbook?.secrets?.length ?? 0) > 0;
    if (!SHOWS_SECRETS.has(c.action) && !manualSecrets) continue;
    for (const [credential, origin] of Object.entries(c.credentials ?? {})) {
      if (!origin.startsWith('file:')) continue;
      const problem = await check(origin);
      if (problem) out.push(`${c.address}: credentials.${credential}: ${problem}`);
    }
  }
  return out;
}

async function readRegistry(file: string): Promise<Registry> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Registry>;
    const files: Record<string, string> = {};
    if (parsed && typeof parsed.files === 'object' && parsed.files !== null) {
      for (const [k, v] of Object.entries(parsed.files)) if (typeof v === 'string') files[k] = v;
    }
    return { version: 1, files };
  } catch {
    return { version: 1, files: {} };
  }
}

async function realRoots(places: SecretPlaces): Promise<string[]> {
  const out: string[] = [];
  for (const d of [places.projectDir, ...(places.allowedDirs ?? [])]) {
    try {
      out.push(await realpath(path.resolve(d)));
    } catch {
      // A directory that does not exist allows nothing.
    }
  }
  return out;
}

/** `dir` or its nearest ancestor that exists. */
async function nearestExisting(dir: string): Promise<string> {
  let d = dir;
  for (;;) {
    try {
      await lstat(d);
      return d;
    } catch {
      const up = path.dirname(d);
      if (up === d) return d;
      d = up;
    }
  }
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
