/**
 * What the simulator stores, one table per Profit object. Keys of users and groups are their codes
 * lower-cased (Profit compares them without regard to case); references hold those keys. Records
 * are never mutated in place: a change stores a new object, so a failed transaction can put the
 * old one back.
 */

/** A Profit user (Authorisation tool › User maintenance; UpdateConnector KnUser). */
export interface UserRec {
  key: string;
  /** `UsId`, as written at insert (or by the last rename). */
  userId: string;
  /** `Nm`: the description shown in the Authorisation tool. */
  name: string;
  email?: string;
  upn?: string;
  /** `BcCo`: the person the user is linked to. */
  personCode?: string;
  /** Applications › Profit Windows (`Awin`). */
  windows: boolean;
  /** Applications › InSite (`InSi`). */
  inSite: boolean;
  /** Applications › OutSite (`Site`). */
  outSite: boolean;
  /** Applications › Connector (`Acon`); absent in sandboxes written before it was kept. */
  connector?: boolean;
  blocked: boolean;
  createdAt: string;
  modifiedAt: string;
}

/** An authorisation (user) group. */
export interface GroupRec {
  key: string;
  /** The group's code (`GrId`, at most 20 characters). */
  id: string;
  description: string;
  /** The all-users group: every user is a member, it cannot be deleted. */
  builtIn?: boolean;
}

/** A user in a group (Group maintenance › Users in group). */
export interface MemberRec {
  /** `<group key>\u0000<user key>`. */
  key: string;
  group: string;
  user: string;
}

/** An app connector (General › Management › App connector): UI only, no API. */
export interface AppConnectorRec {
  /** Sequence number, as the console addresses it. */
  key: string;
  description: string;
  /** Key of the linked user group. */
  group: string;
  getConnectors: string[];
  updateConnectors: string[];
  blocked: boolean;
  /** The app connector's API key, used by the OTP token flow. */
  apiKey: string;
  createdAt: string;
  modifiedAt: string;
}

/**
 * A user token of an app connector. Only a hash of the token is kept, so the sandbox files never
 * hold a usable token. A deleted token stays as a tombstone (`deletedAt`): a sandbox that accepts
 * any token must still refuse one that was deleted.
 */
export interface TokenRec {
  key: string;
  appConnector: string;
  user: string;
  /** Unique per app connector, as the User tokens wizard requires. */
  description: string;
  /** SHA-256 of the token's data part, hex. */
  hash: string;
  createdAt: string;
  deletedAt?: string;
}

/** Environment-wide settings. */
export interface SettingRec {
  key: 'environment';
  /** The environment key (`apiToken` of the OTP flow). */
  environmentKey: string;
}

export interface TableRecords {
  user: UserRec;
  group: GroupRec;
  member: MemberRec;
  appConnector: AppConnectorRec;
  token: TokenRec;
  setting: SettingRec;
}

export type TableName = keyof TableRecords;

export const TABLE_NAMES: readonly TableName[] = [
  'user',
  'group',
  'member',
  'appConnector',
  'token',
  'setting',
];

/** Key of a user or group code: Profit compares codes without regard to case. */
export const codeKey = (code: string) => code.toLowerCase();
export const memberKey = (group: string, user: string) => `${group}\u0000${user}`;
