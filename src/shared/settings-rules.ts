import { z } from 'zod';
import { isIanaTimeZone } from './scheduling-event';
import type { AUTH_METHODS, SecretField, SettingsValues } from './settings';
import { SECRET_ENV_NAMES, SETTING_ENV_NAMES } from './settings';

/**
 * The field rules of the iCIMS settings, shared by the Settings screen (inline validation) and
 * the engine's config resolution (which reports the same rules under the environment variable
 * names). Pure: zod only, no Node or DOM.
 *
 * Mode policy: every value that is GIVEN is checked in both modes (a malformed URL is wrong
 * whether or not it is used yet); what is REQUIRED (base URL, credentials, customer id) is only
 * required in `real` mode, so mock mode with no configuration at all is valid.
 */

export type AuthMethod = (typeof AUTH_METHODS)[number];
export type SettingsRuleField = keyof SettingsValues | SecretField;

export interface SettingsIssue {
  field: SettingsRuleField;
  message: string;
}

export interface SecretPresence {
  apiKey: boolean;
  clientSecret: boolean;
  password: boolean;
}

/** A string sets the secret, `null` clears it, a missing key leaves it as saved. */
export type NewSecrets = Partial<Record<SecretField, string | null>>;

export const API_KEY_MIN_LENGTH = 10;

/** docs/INTERFACES.md §1 defaults (timezone, displayTimeZone, icimsWebUrl and simulateTraffic are console settings only). */
export const DEFAULT_SETTINGS_VALUES: SettingsValues = {
  mode: 'mock',
  baseUrl: '',
  authMethod: null,
  apiStyle: 'applications',
  customerId: '',
  notesField: 'notes',
  clientId: '',
  tokenUrl: '',
  username: '',
  rateLimitPerMin: 100,
  maxConcurrency: 5,
  dailyLimit: 10000,
  timeoutMs: 15000,
  readBack: 'auto',
  timezone: 'UTC',
  displayTimeZone: '',
  icimsWebUrl: '',
  simulateTraffic: true,
};

/** docs/INTERFACES.md §1: `oauth` if a client id is set, `basic` if a username is set, else `apiKey`. */
export function inferAuthMethod(values: Pick<SettingsValues, 'authMethod' | 'clientId' | 'username'>): AuthMethod {
  if (values.authMethod) return values.authMethod;
  if (values.clientId.trim() !== '') return 'oauth';
  if (values.username.trim() !== '') return 'basic';
  return 'apiKey';
}

/** The name a message uses for a field: the environment variable, unless the caller maps it. */
export function envNameOf(field: SettingsRuleField): string {
  if (field in SETTING_ENV_NAMES) return SETTING_ENV_NAMES[field as keyof typeof SETTING_ENV_NAMES];
  if (field in SECRET_ENV_NAMES) return SECRET_ENV_NAMES[field as SecretField];
  return CONSOLE_FIELD_NAMES[field as keyof typeof CONSOLE_FIELD_NAMES] ?? field;
}

/** How the engine's messages name the console's own settings, which have no environment variable. */
const CONSOLE_FIELD_NAMES = {
  timezone: 'Time zone',
  displayTimeZone: 'Display time zone',
  icimsWebUrl: 'iCIMS web address',
} as const;

/** The console settings that have no environment variable and never change how iCIMS is called. */
export const CONSOLE_ONLY_FIELDS = ['timezone', 'displayTimeZone', 'icimsWebUrl', 'simulateTraffic'] as const;

/** The placeholders an iCIMS web address for links may carry; `{applicationId}` is required. */
export const ICIMS_LINK_PLACEHOLDERS = ['{applicationId}', '{noteId}'] as const;

/**
 * Why an "iCIMS web address for links" cannot be used, or null when it can (or is empty):
 * https only, no credentials, `{applicationId}` required, `{noteId}` optional, no other `{…}`.
 */
export function icimsWebUrlIssue(template: string): string | null {
  const value = template.trim();
  if (value === '') return null;
  if (!value.includes('{applicationId}')) return 'must contain {applicationId}';
  const unknown = value.replace(/\{applicationId\}|\{noteId\}/g, '').match(/\{[^}]*\}/);
  if (unknown) return `may contain only {applicationId} and {noteId}, not ${unknown[0]}`;
  let url: URL;
  try {
    url = new URL(value.replace(/\{applicationId\}|\{noteId\}/g, 'x'));
  } catch {
    return 'must be an https address, e.g. https://yourcompany.icims.com/platform?applicationId={applicationId}';
  }
  if (url.protocol !== 'https:') return 'must be an https address';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  return null;
}

/** The https origin of a usable "iCIMS web address for links" (for the desktop app's link allow-list), else null. */
export function icimsWebUrlOrigin(template: string): string | null {
  const value = template.trim();
  if (value === '' || icimsWebUrlIssue(value) !== null) return null;
  return new URL(value.replace(/\{applicationId\}|\{noteId\}/g, 'x')).origin;
}

/**
 * The "Open in iCIMS" address for one job, or null when there is none: links exist only in real
 * mode with an address set, and a link that needs `{noteId}` waits until the note has one.
 * Values are URL-encoded, so an id cannot change where the link points.
 */
export function icimsLink(
  settings: Pick<SettingsValues, 'mode' | 'icimsWebUrl'>,
  ids: { applicationId: string; noteId: string | null },
): string | null {
  const template = settings.icimsWebUrl.trim();
  if (settings.mode !== 'real' || template === '' || icimsWebUrlIssue(template) !== null) return null;
  if (template.includes('{noteId}') && !ids.noteId) return null;
  return template
    .split('{applicationId}')
    .join(encodeURIComponent(ids.applicationId))
    .split('{noteId}')
    .join(encodeURIComponent(ids.noteId ?? ''));
}

const httpUrl = z.url({ protocol: /^https?$/ });

/** Numeric bounds: positive integers with a ceiling that catches typos (an extra zero or three). */
export const NUMBER_BOUNDS = {
  rateLimitPerMin: { max: 100_000 },
  maxConcurrency: { max: 100 },
  dailyLimit: { max: 100_000_000 },
  timeoutMs: { max: 600_000 },
} as const;

export function isHttpUrl(value: string): boolean {
  if (!httpUrl.safeParse(value).success) return false;
  const url = new URL(value);
  return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
}

export function positiveIntIssue(name: string, value: number, max: number): string | null {
  const result = z.number().int().positive().max(max).safeParse(value);
  if (result.success) return null;
  return Number.isInteger(value) && value > max
    ? `${name} must be at most ${max}`
    : `${name} must be a positive integer`;
}

/** Which secrets the given settings will have after saving: new values win over saved ones. */
function effectiveSecret(
  field: SecretField,
  present: SecretPresence,
  newSecrets: NewSecrets,
): { present: boolean; value: string | null } {
  const next = newSecrets[field];
  if (next === undefined) return { present: present[field], value: null };
  if (next === null || next === '') return { present: false, value: null };
  return { present: true, value: next };
}

export interface ValidateSettingsOptions {
  /** How a message names a field; defaults to the environment variable (`ICIMS_BASE_URL`). */
  nameOf?: (field: SettingsRuleField) => string;
}

/**
 * Every problem with the given settings, one issue per field at most, in the order the Settings
 * screen shows them. The two contract messages come out word for word with the default names:
 * `ICIMS_BASE_URL is required` and `ICIMS_API_KEY appears invalid`.
 */
export function validateSettings(
  values: SettingsValues,
  secretsPresent: SecretPresence,
  newSecrets: NewSecrets = {},
  options: ValidateSettingsOptions = {},
): SettingsIssue[] {
  const nameOf = options.nameOf ?? envNameOf;
  const issues: SettingsIssue[] = [];
  const seen = new Set<SettingsRuleField>();
  const add = (field: SettingsRuleField, message: string) => {
    if (seen.has(field)) return;
    seen.add(field);
    issues.push({ field, message });
  };
  const real = values.mode === 'real';
  const method = inferAuthMethod(values);
  const blank = (s: string) => s.trim() === '';

  if (blank(values.baseUrl)) {
    if (real) add('baseUrl', `${nameOf('baseUrl')} is required`);
  } else if (!isHttpUrl(values.baseUrl.trim())) {
    add(
      'baseUrl',
      `${nameOf('baseUrl')} must be an http(s) URL without query or credentials, e.g. https://api.icims.com`,
    );
  }

  if (method === 'apiKey') {
    const key = effectiveSecret('apiKey', secretsPresent, newSecrets);
    if (key.value !== null && key.value.trim().length < API_KEY_MIN_LENGTH)
      add('apiKey', `${nameOf('apiKey')} appears invalid`);
    else if (real && !key.present) add('apiKey', `${nameOf('apiKey')} is required for apiKey auth`);
  }

  if (method === 'oauth') {
    if (real && blank(values.clientId)) add('clientId', `${nameOf('clientId')} is required for oauth auth`);
    if (real && !effectiveSecret('clientSecret', secretsPresent, newSecrets).present) {
      add('clientSecret', `${nameOf('clientSecret')} is required for oauth auth`);
    }
    if (real && blank(values.tokenUrl)) add('tokenUrl', `${nameOf('tokenUrl')} is required for oauth auth`);
  }
  if (!blank(values.tokenUrl) && !isHttpUrl(values.tokenUrl.trim())) {
    add('tokenUrl', `${nameOf('tokenUrl')} must be an http(s) URL, e.g. https://login.icims.com/oauth/token`);
  }

  if (method === 'basic') {
    if (real && blank(values.username)) add('username', `${nameOf('username')} is required for basic auth`);
    if (real && !effectiveSecret('password', secretsPresent, newSecrets).present) {
      add('password', `${nameOf('password')} is required for basic auth`);
    }
  }
  if (values.username.includes(':'))
    add('username', `${nameOf('username')} must not contain ":" (HTTP Basic auth cannot carry it)`);

  if (values.apiStyle === 'workflows') {
    if (real && blank(values.customerId))
      add('customerId', `${nameOf('customerId')} is required for the workflows API style`);
    if (real && blank(values.notesField))
      add('notesField', `${nameOf('notesField')} is required for the workflows API style`);
  }

  for (const field of ['rateLimitPerMin', 'maxConcurrency', 'dailyLimit', 'timeoutMs'] as const) {
    const message = positiveIntIssue(nameOf(field), values[field], NUMBER_BOUNDS[field].max);
    if (message) add(field, message);
  }

  if (!blank(values.timezone) && !isIanaTimeZone(values.timezone)) {
    add('timezone', `${nameOf('timezone')} must be an IANA time zone, e.g. America/New_York`);
  }
  if (!blank(values.displayTimeZone) && !isIanaTimeZone(values.displayTimeZone.trim())) {
    add(
      'displayTimeZone',
      `${nameOf('displayTimeZone')} must be an IANA time zone, e.g. Europe/Berlin, or empty for this computer's`,
    );
  }
  const webUrlIssue = icimsWebUrlIssue(values.icimsWebUrl);
  if (webUrlIssue) add('icimsWebUrl', `${nameOf('icimsWebUrl')} ${webUrlIssue}`);
  return issues;
}
