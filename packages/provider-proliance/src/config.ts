import path from 'node:path';
import { isLoopback, UserError } from '@roster/core';
import {
  type ColumnOverrides,
  columnHeaders,
  columnKeys,
  type ExportFiles,
  REGISTER_NAMES,
  REGISTERS,
} from './client/format.js';
import { filesIn } from './client/read-export.js';

/** Field separators an export may use (Excel writes `;` in locales with a decimal comma). */
export const DELIMITERS = [',', ';', '\t'] as const;

const fileProperties = Object.fromEntries(
  REGISTER_NAMES.map((r) => [
    r,
    {
      type: 'string',
      minLength: 1,
      description: `The ${REGISTERS[r].title} export (${REGISTERS[r].uiPath}), CSV.`,
    },
  ]),
);

/**
 * `export.columns`: per register, the header of each column roster reads. Proliance publishes no
 * export format, so every header can be renamed; an unknown register or column key is a schema
 * error at its manifest line.
 */
const columnsProperties = Object.fromEntries(
  REGISTER_NAMES.map((r) => {
    const cols = REGISTERS[r].columns as Record<string, { header: string; required: boolean }>;
    return [
      r,
      {
        type: 'object',
        additionalProperties: false,
        description: `Headers of the ${REGISTERS[r].title} export (${REGISTERS[r].file}), by column.`,
        properties: Object.fromEntries(
          Object.entries(cols).map(([k, c]) => [
            k,
            {
              type: 'string',
              minLength: 1,
              pattern: '\\S',
              default: c.header,
              description: `Header of the ${k} column (default "${c.header}"${c.required ? '; required' : '; optional'}).`,
            },
          ]),
        ),
      },
    ];
  }),
);

/** JSON Schema of the Provider document's `spec` for `type: proliance`. */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/proliance/Provider.schema.json',
  title: 'Proliance provider',
  description:
    'Proliance has no public API: every change is a manual step, and roster reads the Staff, Contacts, Accounts and Security Roles registers from their CSV export. Give endpoint: sandbox, or export.',
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  oneOf: [
    { required: ['endpoint'], not: { required: ['export'] } },
    { required: ['export'], not: { required: ['endpoint'] } },
  ],
  properties: {
    type: { const: 'proliance', description: 'Provider type.' },
    endpoint: {
      const: 'sandbox',
      description:
        'sandbox: simulated registers persisted under .roster/sandbox/<name>/, which write their export there and take manual steps through an admin console.',
    },
    export: {
      type: 'object',
      additionalProperties: false,
      description:
        'Where the registers’ CSV export is (paths relative to the working directory roster runs in). Export again after each manual step: roster verifies the step from it.',
      oneOf: [{ required: ['dir'] }, { required: ['files'] }],
      properties: {
        dir: {
          type: 'string',
          minLength: 1,
          description: `Directory holding ${REGISTER_NAMES.map((r) => REGISTERS[r].file).join(', ')}.`,
        },
        files: {
          type: 'object',
          additionalProperties: false,
          required: [...REGISTER_NAMES],
          description: 'Each export file by register, when they are not named as in dir.',
          properties: fileProperties,
        },
        columns: {
          type: 'object',
          additionalProperties: false,
          description:
            'The column headers roster looks for, by register and column key, when the export names them otherwise (Proliance publishes no export format). Columns not given keep their default header; headers still match regardless of case and repeated spaces.',
          properties: columnsProperties,
        },
        delimiter: {
          enum: [...DELIMITERS],
          default: ',',
          description: 'Field separator of the CSV files.',
        },
        maxAgeHours: {
          type: 'number',
          exclusiveMinimum: 0,
          description:
            'Refuse to plan on an export older than this many hours (its oldest file), so drift is never reported from a stale export.',
        },
      },
    },
  },
} as const;

/** Where the registers' export is read from, and how. */
export interface ExportSettings {
  sandbox: false;
  files: ExportFiles;
  delimiter: string;
  maxAgeHours?: number;
  /** Renamed headers (`export.columns`); undefined when the export uses the defaults. */
  columns?: ColumnOverrides;
  /**
   * A running sandbox's export: the lock file it writes the export under, held while reading so
   * the four files are never seen half-way through a new export.
   */
  lock?: string;
}

/** The Provider document's settings (`sandbox: true`: the sandbox entry starts the registers). */
export type ProlianceConfig = { sandbox: true } | ExportSettings;

const normalizeHeader = (h: string) => h.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * `export.columns`, checked: known registers and column keys only (the schema says so at the
 * manifest line; this guards direct callers), non-empty headers, and no two columns of one register
 * under the same header.
 */
function readColumns(name: string, raw: unknown): ColumnOverrides | undefined {
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserError(`provider ${name}: export.columns must map registers to their column headers`);
  const out: Record<string, Record<string, string>> = {};
  for (const [register, cols] of Object.entries(raw)) {
    if (!(REGISTER_NAMES as string[]).includes(register))
      throw new UserError(
        `provider ${name}: export.columns.${register} is not a register (${REGISTER_NAMES.join(', ')})`,
      );
    const keys = columnKeys(register as (typeof REGISTER_NAMES)[number]) as string[];
    if (!cols || typeof cols !== 'object' || Array.isArray(cols))
      throw new UserError(`provider ${name}: export.columns.${register} must map columns to headers`);
    const given: Record<string, string> = {};
    for (const [key, header] of Object.entries(cols)) {
      if (!keys.includes(key))
        throw new UserError(
          `provider ${name}: export.columns.${register}.${key} is not a column of the ${REGISTERS[register as keyof typeof REGISTERS].title} (${keys.join(', ')})`,
        );
      if (typeof header !== 'string' || header.trim() === '')
        throw new UserError(`provider ${name}: export.columns.${register}.${key} must be a header`);
      given[key] = header;
    }
    out[register] = given;
  }
  const overrides = out as ColumnOverrides;
  const headers = columnHeaders(overrides);
  for (const r of REGISTER_NAMES) {
    const seen = new Map<string, string>();
    for (const [key, header] of Object.entries(headers[r] as Record<string, string>)) {
      const other = seen.get(normalizeHeader(header));
      if (other !== undefined)
        throw new UserError(
          `provider ${name}: export.columns: the ${REGISTERS[r].title} columns ${other} and ${key} would both read the header "${header}"`,
        );
      seen.set(normalizeHeader(header), key);
    }
  }
  return overrides;
}

/**
 * Read a validated Provider spec. Relative export paths are resolved against `baseDir` (the
 * working directory unless given).
 */
export function readConfig(
  name: string,
  config: Record<string, unknown>,
  baseDir: string = process.cwd(),
): ProlianceConfig {
  const exp = config.export as Record<string, unknown> | undefined;
  if (config.endpoint === 'sandbox') {
    if (exp !== undefined)
      throw new UserError(
        `provider ${name}: endpoint: sandbox writes its own export (under .roster/sandbox/${name}/export/); remove export, or remove endpoint to read a real export`,
      );
    return { sandbox: true };
  }
  if (typeof config.endpoint === 'string' && isLoopback(config.endpoint)) return runningSandbox(name, exp);
  if (config.endpoint !== undefined)
    throw new UserError(
      `provider ${name}: endpoint must be sandbox (Proliance has no public API; point export at the registers' CSV export instead)`,
    );
  if (!exp || typeof exp !== 'object')
    throw new UserError(
      `provider ${name}: give export: {dir: DIRECTORY} (the registers' CSV export: ${REGISTER_NAMES.map((r) => REGISTERS[r].file).join(', ')}), or endpoint: sandbox`,
    );
  const resolve = (p: string) => path.resolve(baseDir, p);
  let files: ExportFiles;
  if (typeof exp.dir === 'string' && exp.files === undefined) {
    files = filesIn(resolve(exp.dir));
  } else if (exp.files && typeof exp.files === 'object' && exp.dir === undefined) {
    const given = exp.files as Record<string, unknown>;
    files = {} as ExportFiles;
    for (const r of REGISTER_NAMES) {
      const f = given[r];
      if (typeof f !== 'string' || f === '')
        throw new UserError(
          `provider ${name}: export.files.${r} must name the ${REGISTERS[r].title} export file`,
        );
      files[r] = resolve(f);
    }
  } else {
    throw new UserError(`provider ${name}: export takes dir or files, not both`);
  }
  const delimiter = typeof exp.delimiter === 'string' ? exp.delimiter : ',';
  if (!(DELIMITERS as readonly string[]).includes(delimiter))
    throw new UserError(`provider ${name}: export.delimiter must be ",", ";" or a tab`);
  const maxAgeHours = typeof exp.maxAgeHours === 'number' ? exp.maxAgeHours : undefined;
  const columns = readColumns(name, exp.columns);
  return {
    sandbox: false,
    files,
    delimiter,
    ...(maxAgeHours !== undefined ? { maxAgeHours } : {}),
    ...(columns !== undefined ? { columns } : {}),
  };
}

/**
 * The configuration of a sandbox its entry started (`StartedSandbox.config`, never a manifest's:
 * the schema allows no URL): the console at `endpoint`, the export it writes in `export.dir`,
 * under the lock file `export.lock`.
 */
function runningSandbox(name: string, exp: Record<string, unknown> | undefined): ExportSettings {
  if (typeof exp?.dir !== 'string' || typeof exp.lock !== 'string')
    throw new Error(`provider ${name}: a running Proliance sandbox gives export.dir and export.lock`);
  return { sandbox: false, files: filesIn(exp.dir), delimiter: ',', lock: exp.lock };
}
