import type { SettingsRuleField } from './settings-rules';

/**
 * The Settings screen's field labels. Messages people read (validation errors, the audit trail)
 * name a field by its label, the word on the screen, not by its environment variable. QA finds
 * fields by them, so each one starts exactly as written here.
 */
export const FIELD_LABELS: Record<SettingsRuleField, string> = {
  mode: 'Mode',
  baseUrl: 'Base URL',
  authMethod: 'Auth method',
  apiKey: 'API key',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  tokenUrl: 'Token URL',
  username: 'Username',
  password: 'Password',
  apiStyle: 'Wire style',
  customerId: 'Customer ID',
  notesField: 'Notes field',
  rateLimitPerMin: 'Rate limit (requests/min)',
  maxConcurrency: 'Max concurrency',
  dailyLimit: 'Daily limit',
  timeoutMs: 'Timeout (ms)',
  readBack: 'Check iCIMS before re-sending',
  timezone: 'Time zone for notes',
  displayTimeZone: 'Display time zone',
  icimsWebUrl: 'iCIMS web address for links',
  simulateTraffic: 'Simulate traffic',
};
