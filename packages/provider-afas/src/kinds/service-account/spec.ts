import {
  bool,
  credentials,
  EMAIL_PATTERN,
  int,
  ref,
  refs,
  type SpecOf,
  secretPlace,
  spec,
  str,
} from '@roster/core';
import { CODE_PATTERN, SCHEMA_BASE } from '../common.js';

/**
 * A token user, declared once: the JSON Schema of its `spec` (published as
 * `schemas/afas/ServiceAccount.schema.json`), its attribute rules and its type. The token is issued
 * by hand (App connector › User tokens) and shown once, so `connector` is manual and attested: a
 * new user is created without one, then the token step follows.
 */
export const serviceAccountSpec = spec(
  {
    userId: str({
      minLength: 1,
      maxLength: 80,
      pattern: CODE_PATTERN,
      doc: 'User code (KnUser UsId); on AFAS Online <participant number>.<code>, e.g. 12345.WS-INVOICE. Immutable.',
      immutable: true,
      summary: 'User code; cannot change once created.',
    }),
    name: str({
      minLength: 1,
      maxLength: 80,
      doc: 'Description of the user (KnUser Nm); the user code when not given.',
      summary: 'Description of the user.',
    }),
    email: str({
      maxLength: 255,
      pattern: EMAIL_PATTERN,
      doc: 'E-mail address (KnUser EmAd). AFAS does not require one; roster does (rule afas.roster-email-required), for the OTP token flow.',
      summary: "E-mail address; required by roster's rule for token users (OTP).",
    }),
    person: str({
      minLength: 1,
      maxLength: 15,
      doc: 'Code of the person (employee) the user is linked to (KnUser BcCo, "Person code"; read back as Profit_Users PersonId). Optional: a system user is linked to no one.',
      summary: 'Person the user is linked to (KnUser BcCo, Profit_Users PersonId).',
    }),
    windows: bool({
      doc: 'Profit Windows access (KnUser Awin). AFAS recommends integration users without it.',
      privilege: true,
      absent: false,
      summary: 'Profit Windows access.',
    }),
    inSite: bool({
      doc: 'InSite access (KnUser InSi). Windows or InSite must be enabled.',
      privilege: true,
      absent: false,
      summary: 'InSite access.',
    }),
    groups: refs('Group', {
      uniqueItems: true,
      doc: 'User groups (Group resources) the user is a member of, besides the group of all users; compared as a set.',
      item: 'A Group of the same provider.',
      privilege: true,
      absent: [],
      summary: 'User groups (KnUser GrId).',
    }),
    connector: ref('Connector', {
      doc: 'The app connector (a Connector of the same provider) the user holds a token for. The token is issued by hand and shown once.',
      update: 'manual',
      verifiable: false,
      privilege: true,
      absent: null,
      // A new user holds no token yet: it is created without one, then the token step follows.
      createValues: [null],
      createAs: null,
      summary: 'The app connector whose user token the account holds (issued by hand, shown once).',
    }),
    blocked: bool({
      doc: 'Blocked: the user cannot sign in or exchange data.',
      summary: 'Blocked (KnUser MtCd 2 / 6).',
    }),
    credentials: credentials(
      {
        token: secretPlace({ doc: '${env:NAME} or ${file:path} that holds (or will hold) the token.' }),
        rotateAfterDays: int({
          minimum: 1,
          maximum: 3650,
          doc: 'Rotate the token after this many days (rotating = delete the token and add a new one).',
        }),
      },
      {
        doc: 'Where the token AFAS shows once is stored (roster never sends or reads it from AFAS).',
        summary: 'Where the token is stored, and when to rotate it.',
      },
    ),
  },
  {
    required: ['userId'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
    title: 'AFAS Profit token user',
    doc: 'A Profit user (UpdateConnector KnUser) that exchanges data through an app connector with a user token.',
  },
);

/** The `spec` of a ServiceAccount, as manifests give it and as it is read back. */
export type ServiceAccountSpec = SpecOf<typeof serviceAccountSpec>;
