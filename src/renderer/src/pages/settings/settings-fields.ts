import type { SettingsRuleField } from '../../../../shared/settings-rules';
import type { SecretField, SettingsValues } from '../../../../shared/settings';
import { SECRET_ENV_NAMES, SETTING_ENV_NAMES } from '../../../../shared/settings';

export { FIELD_LABELS } from '../../../../shared/settings-labels';

export function envNameFor(field: SettingsRuleField): string | null {
  if (field in SETTING_ENV_NAMES) return SETTING_ENV_NAMES[field as keyof typeof SETTING_ENV_NAMES];
  if (field in SECRET_ENV_NAMES) return SECRET_ENV_NAMES[field as SecretField];
  return null;
}

export const NUMBER_FIELDS = [
  'rateLimitPerMin',
  'maxConcurrency',
  'dailyLimit',
  'timeoutMs',
] as const satisfies readonly (keyof SettingsValues)[];
export type NumberField = (typeof NUMBER_FIELDS)[number];

export const SECRET_FIELDS = ['apiKey', 'clientSecret', 'password'] as const satisfies readonly SecretField[];

export const MODE_OPTIONS = [
  { value: 'mock', label: 'Mock — simulated iCIMS, nothing leaves this machine' },
  { value: 'real', label: 'Real — write notes to iCIMS' },
];

export const AUTH_OPTIONS = [
  { value: 'apiKey', label: 'API key (Authorization: Bearer)' },
  { value: 'oauth', label: 'OAuth 2.0 client credentials' },
  { value: 'basic', label: 'HTTP Basic (username and password)' },
];

export const STYLE_OPTIONS = [
  { value: 'applications', label: 'applications — /api/v1/applications/{id}/notes' },
  { value: 'workflows', label: 'workflows — /customers/{id}/applicantworkflows/{id}' },
];

export const READ_BACK_OPTIONS = [
  { value: 'auto', label: 'Auto — read the notes back when a write went unanswered (recommended)' },
  { value: 'off', label: 'Off — trust iCIMS to drop a repeated Idempotency-Key' },
];

export const AUTH_METHOD_NAME = { apiKey: 'API key', oauth: 'OAuth 2.0', basic: 'HTTP Basic' } as const;
