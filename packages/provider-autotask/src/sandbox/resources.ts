import { refused } from './errors.js';
import type { ResourceRec } from './records.js';

/** One field of the `Resources` entity, as `entityInformation/fields` describes it. */
export interface FieldDef {
  name: keyof ResourceRec & string;
  dataType: 'long' | 'integer' | 'string' | 'boolean';
  length?: number;
  isRequired: boolean;
  isReadOnly: boolean;
  picklist?: ReadonlyArray<{ value: number; label: string }>;
}

/**
 * License types of resources. Autotask reads the labels from `entityInformation/fields`; the numeric
 * value of "API User" is not documented, so the sandbox picks its own and clients must go by label.
 */
export const LICENSE_TYPES = [
  { value: 1, label: 'Full' },
  { value: 2, label: 'Time & Attendance' },
  { value: 3, label: 'Dashboard User' },
  { value: 4, label: 'Co-managed Help Desk' },
  { value: 7, label: 'API User' },
] as const;
export const LICENSE_FULL = 1;
export const LICENSE_API_USER = 7;

export const USER_TYPES = [
  { value: 1, label: 'Employee' },
  { value: 2, label: 'API User' },
] as const;
export const USER_TYPE_EMPLOYEE = 1;
export const USER_TYPE_API = 2;

/** The fields this sandbox serves, REST names and types as Autotask documents them. */
export const RESOURCE_FIELDS: readonly FieldDef[] = [
  { name: 'id', dataType: 'long', isRequired: true, isReadOnly: true },
  { name: 'email', dataType: 'string', length: 254, isRequired: true, isReadOnly: false },
  { name: 'firstName', dataType: 'string', length: 50, isRequired: true, isReadOnly: false },
  { name: 'isActive', dataType: 'boolean', isRequired: true, isReadOnly: false },
  { name: 'lastName', dataType: 'string', length: 50, isRequired: true, isReadOnly: false },
  { name: 'licenseType', dataType: 'integer', isRequired: true, isReadOnly: true, picklist: LICENSE_TYPES },
  { name: 'middleName', dataType: 'string', length: 50, isRequired: false, isReadOnly: false },
  { name: 'mobilePhone', dataType: 'string', length: 25, isRequired: false, isReadOnly: false },
  { name: 'officePhone', dataType: 'string', length: 25, isRequired: false, isReadOnly: false },
  { name: 'resourceType', dataType: 'string', length: 50, isRequired: true, isReadOnly: true },
  { name: 'title', dataType: 'string', length: 50, isRequired: false, isReadOnly: false },
  { name: 'userName', dataType: 'string', length: 50, isRequired: true, isReadOnly: true },
  { name: 'userType', dataType: 'integer', isRequired: true, isReadOnly: true, picklist: USER_TYPES },
];

const BY_LOWER = new Map(RESOURCE_FIELDS.map((f) => [f.name.toLowerCase(), f]));

/** A field by name, regardless of case (Autotask field names are case-insensitive). */
export function fieldNamed(name: string): FieldDef | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

// The same addresses as /^[^@\s]+@[^@\s]+\.[^@\s]+$/ without its quadratic backtracking (see core's EMAIL_PATTERN).
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s][^@\s.]*\.[^@\s]+$/;

/**
 * What the REST API shows of a resource: the documented fields only, never what only the UI holds.
 * No `userDefinedFields`: Resources cannot have UDFs (Resources help page), and the swagger's
 * `ResourceModel` has no such property.
 */
export function wireResource(rec: ResourceRec, include?: readonly FieldDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of include ?? RESOURCE_FIELDS) out[f.name] = rec[f.name] ?? null;
  return out;
}

/** A picklist as the database labels it: value → label (labels differ between databases and languages). */
export type Picklist = ReadonlyArray<{ value: number; label: string }>;

/** Picklist labels of a database, where they differ from the sandbox's defaults. */
export interface ResourcePicklists {
  licenseType?: Picklist;
  userType?: Picklist;
}

/**
 * The `entityInformation/fields` answer, as Autotask gives it (OAS-RES `FieldInformationModel`,
 * `PickListValue`): every picklist value a string, with its label, and an empty list for a field
 * that is no picklist.
 */
export function fieldsInformation(picklists: ResourcePicklists = {}): Record<string, unknown> {
  return {
    fields: RESOURCE_FIELDS.map((f) => ({
      name: f.name,
      dataType: f.dataType,
      length: f.length ?? 0,
      isRequired: f.isRequired,
      isReadOnly: f.isReadOnly,
      isQueryable: true,
      isReference: false,
      referenceEntityType: '',
      isPickList: f.picklist !== undefined,
      picklistValues: f.picklist
        ? (picklists[f.name as keyof ResourcePicklists] ?? f.picklist).map((p, i) => ({
            value: String(p.value),
            label: p.label,
            isDefaultValue: false,
            sortOrder: i,
            parentValue: '',
            isActive: true,
            isSystem: true,
          }))
        : [],
      picklistParentValueField: '',
    })),
  };
}

/** Check one value against its field: type, length, required, e-mail form. Errors as Autotask words them. */
export function checkValue(f: FieldDef, value: unknown): string | undefined {
  if (value === null || value === undefined) return f.isRequired ? `${f.name} is required.` : undefined;
  switch (f.dataType) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${f.name} must be true or false.`;
    case 'long':
    case 'integer':
      return Number.isInteger(value) ? undefined : `${f.name} must be a whole number.`;
    case 'string': {
      if (typeof value !== 'string') return `${f.name} must be a string.`;
      if (f.isRequired && value.trim() === '') return `${f.name} is required.`;
      if (f.length && value.length > f.length)
        return `${f.name} is longer than its maximum length of ${f.length} characters.`;
      if (f.name === 'email' && !EMAIL_PATTERN.test(value)) return `${value} is not a valid email address.`;
      return undefined;
    }
  }
}

/**
 * A PATCH (only the fields sent change) or PUT (every writable field not sent becomes null) of a
 * resource. Read-only and unknown fields are refused, as are values of the wrong type.
 */
export function writeResource(
  rec: ResourceRec,
  body: Record<string, unknown>,
  mode: 'patch' | 'put',
): ResourceRec {
  const errors: string[] = [];
  const next: Record<string, unknown> = { ...rec };
  const sent = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    const f = fieldNamed(key);
    if (key === 'userDefinedFields') continue;
    if (!f) {
      errors.push(`Unable to find ${key} in the Resource entity.`);
      continue;
    }
    if (f.name === 'id') continue;
    sent.add(f.name);
    if (f.isReadOnly) {
      // Sending the current value back (a PUT of a read record) is harmless; changing it is not.
      if (value !== rec[f.name]) errors.push(`${f.name} is read-only.`);
      continue;
    }
    const problem = checkValue(f, value);
    if (problem) errors.push(problem);
    else next[f.name] = value;
  }
  if (mode === 'put') {
    for (const f of RESOURCE_FIELDS) {
      if (f.isReadOnly || sent.has(f.name)) continue;
      if (f.isRequired) errors.push(`${f.name} is required.`);
      else next[f.name] = null;
    }
  }
  if (errors.length > 0) throw refused(errors);
  return next as unknown as ResourceRec;
}
