/**
 * What Getint's documentation says about the tools it connects and the account each connection
 * needs (sources in ../README.md). Only documented tools are listed; anything else is `other`.
 */
export const GETINT_APPS = [
  'jira',
  'servicenow',
  'salesforce',
  'monday',
  'clickup',
  'asana',
  'trello',
  'github',
  'gitlab',
  'wrike',
  'zendesk',
  'azure-devops',
  'airtable',
  'hubspot',
  'freshdesk',
  'freshservice',
  'notion',
  'other',
] as const;

export type GetintApp = (typeof GETINT_APPS)[number];

/** The account a connection to this tool needs, as Getint documents it (shown in runbooks). */
export const ACCOUNT_REQUIREMENTS: Partial<Record<GetintApp, string[]>> = {
  jira: [
    'Use an Atlassian-native service account (admin.atlassian.com › Directory › Service accounts) with the Jira user role, and an API token for it (1–365 days).',
    'Atlassian Guard service accounts are not supported by Getint; OAuth 2.0 is not supported yet.',
    'Connection: the Jira URL without a trailing /, the account e-mail and the API token.',
  ],
  'azure-devops': [
    'Create a personal access token (PAT) for the organisation with scope Full Access; the PAT is the password.',
    'Connection: the organisation URL and the credentials.',
  ],
  servicenow: [
    'Use a dedicated ServiceNow user with "Password needs reset" unticked (otherwise the connection fails with a misleading permissions error).',
    'Give it the itil role and a custom role that the ACLs Getint documents require (read on sys_dictionary, sys_glide_object, sys_choice; read and write on sys_journal_field).',
    'Connection: the instance URL, the username and the password.',
  ],
};

/** Every connection, whatever the tool (Getint's general guidance). */
export const GENERAL_REQUIREMENTS = [
  'The account is dedicated to this integration, never a person’s own.',
  'It can read, create and update the items the integrations sync (admin access is recommended, not required).',
  'Its credentials are kept secret and rotated.',
];
