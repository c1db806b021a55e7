import { describe, expect, it } from 'vitest';
import type { SettingsValues } from '../../src/shared/settings';
import {
  DEFAULT_SETTINGS_VALUES,
  icimsLink,
  icimsWebUrlOrigin,
  inferAuthMethod,
  validateSettings,
} from '../../src/shared/settings-rules';

const none = { apiKey: false, clientSecret: false, password: false };
const values = (v: Partial<SettingsValues>): SettingsValues => ({ ...DEFAULT_SETTINGS_VALUES, ...v });

describe('validateSettings (shared by the Settings screen and config resolution)', () => {
  it('the defaults (mock mode, nothing configured) are valid', () => {
    expect(validateSettings(DEFAULT_SETTINGS_VALUES, none)).toEqual([]);
  });

  it('real mode reports the contract messages under the field names', () => {
    expect(validateSettings(values({ mode: 'real' }), none)).toEqual([
      { field: 'baseUrl', message: 'ICIMS_BASE_URL is required' },
      { field: 'apiKey', message: 'ICIMS_API_KEY is required for apiKey auth' },
    ]);
    expect(
      validateSettings(values({ mode: 'real', baseUrl: 'https://api.icims.com' }), none, { apiKey: 'abc' }),
    ).toEqual([{ field: 'apiKey', message: 'ICIMS_API_KEY appears invalid' }]);
  });

  it('a saved secret counts as present; clearing it (null) makes it missing again', () => {
    const real = values({ mode: 'real', baseUrl: 'https://api.icims.com' });
    expect(validateSettings(real, { ...none, apiKey: true })).toEqual([]);
    expect(validateSettings(real, { ...none, apiKey: true }, { apiKey: null })).toEqual([
      { field: 'apiKey', message: 'ICIMS_API_KEY is required for apiKey auth' },
    ]);
  });

  it('the UI may name fields its own way; the rules stay the same', () => {
    const labels: Record<string, string> = { baseUrl: 'Base URL', customerId: 'Customer ID' };
    const issues = validateSettings(
      values({ mode: 'real', apiStyle: 'workflows' }),
      { ...none, apiKey: true },
      {},
      { nameOf: (f) => labels[f] ?? f },
    );
    expect(issues).toEqual([
      { field: 'baseUrl', message: 'Base URL is required' },
      { field: 'customerId', message: 'Customer ID is required for the workflows API style' },
    ]);
  });

  it('checks numbers, URLs, usernames and the time zone', () => {
    const issues = validateSettings(
      values({
        rateLimitPerMin: 0,
        maxConcurrency: 1000,
        timeoutMs: 2.5,
        tokenUrl: 'ftp://x',
        username: 'a:b',
        timezone: 'Mars/Olympus',
      }),
      none,
    );
    expect(issues).toEqual([
      {
        field: 'tokenUrl',
        message: 'ICIMS_TOKEN_URL must be an http(s) URL, e.g. https://login.icims.com/oauth/token',
      },
      { field: 'username', message: 'ICIMS_USERNAME must not contain ":" (HTTP Basic auth cannot carry it)' },
      { field: 'rateLimitPerMin', message: 'ICIMS_RATE_LIMIT_PER_MIN must be a positive integer' },
      { field: 'maxConcurrency', message: 'ICIMS_MAX_CONCURRENCY must be at most 100' },
      { field: 'timeoutMs', message: 'ICIMS_TIMEOUT_MS must be a positive integer' },
      { field: 'timezone', message: 'Time zone must be an IANA time zone, e.g. America/New_York' },
    ]);
  });

  it('the display time zone is empty (this computer) or a known zone; the iCIMS web address is https with {applicationId}', () => {
    const issuesFor = (v: Partial<SettingsValues>) => validateSettings(values(v), none);
    expect(issuesFor({ displayTimeZone: '', icimsWebUrl: '' })).toEqual([]);
    expect(issuesFor({ displayTimeZone: 'Europe/Berlin' })).toEqual([]);
    expect(issuesFor({ displayTimeZone: 'Mars/Olympus' })).toEqual([
      {
        field: 'displayTimeZone',
        message: "Display time zone must be an IANA time zone, e.g. Europe/Berlin, or empty for this computer's",
      },
    ]);
    const webIssue = (icimsWebUrl: string) => issuesFor({ icimsWebUrl })[0]?.message ?? null;
    expect(webIssue('https://acme.icims.com/platform?app={applicationId}&note={noteId}')).toBeNull();
    expect(webIssue('https://acme.icims.com/platform')).toBe('iCIMS web address must contain {applicationId}');
    expect(webIssue('http://acme.icims.com/{applicationId}')).toBe('iCIMS web address must be an https address');
    expect(webIssue('javascript:alert(1)//{applicationId}')).toBe('iCIMS web address must be an https address');
    expect(webIssue('https://u:p@acme.icims.com/{applicationId}')).toBe(
      'iCIMS web address must not carry a user name or password',
    );
    expect(webIssue('https://acme.icims.com/{applicationId}/{candidate}')).toBe(
      'iCIMS web address may contain only {applicationId} and {noteId}, not {candidate}',
    );
  });

  it('"Open in iCIMS" links exist in real mode with an address set; ids are encoded; {noteId} waits for a note', () => {
    const template = 'https://acme.icims.com/platform?app={applicationId}&note={noteId}';
    const ids = { applicationId: 'APP 1&x', noteId: '42' };
    expect(icimsLink({ mode: 'real', icimsWebUrl: template }, ids)).toBe(
      'https://acme.icims.com/platform?app=APP%201%26x&note=42',
    );
    expect(icimsLink({ mode: 'mock', icimsWebUrl: template }, ids)).toBeNull();
    expect(icimsLink({ mode: 'real', icimsWebUrl: '' }, ids)).toBeNull();
    expect(icimsLink({ mode: 'real', icimsWebUrl: template }, { applicationId: 'APP-1', noteId: null })).toBeNull();
    expect(
      icimsLink(
        { mode: 'real', icimsWebUrl: 'https://acme.icims.com/a/{applicationId}' },
        { applicationId: 'APP-1', noteId: null },
      ),
    ).toBe('https://acme.icims.com/a/APP-1');
    expect(icimsWebUrlOrigin(template)).toBe('https://acme.icims.com');
    expect(icimsWebUrlOrigin('http://acme.icims.com/{applicationId}')).toBeNull();
  });

  it('oauth and basic requirements follow the effective auth method', () => {
    const real = values({ mode: 'real', baseUrl: 'https://api.icims.com' });
    expect(validateSettings({ ...real, clientId: 'c' }, none).map((i) => i.field)).toEqual([
      'clientSecret',
      'tokenUrl',
    ]);
    expect(
      validateSettings(
        { ...real, clientId: 'c', tokenUrl: 'https://login.icims.com/t' },
        { ...none, clientSecret: true },
      ),
    ).toEqual([]);
    expect(validateSettings({ ...real, authMethod: 'basic' }, none).map((i) => i.field)).toEqual([
      'username',
      'password',
    ]);
    expect(validateSettings({ ...real, username: 'svc' }, none, { password: 'pw' })).toEqual([]);
  });
});

describe('inferAuthMethod', () => {
  it('follows docs/INTERFACES.md §1', () => {
    expect(inferAuthMethod({ authMethod: null, clientId: '', username: '' })).toBe('apiKey');
    expect(inferAuthMethod({ authMethod: null, clientId: 'c', username: 'u' })).toBe('oauth');
    expect(inferAuthMethod({ authMethod: null, clientId: ' ', username: 'u' })).toBe('basic');
    expect(inferAuthMethod({ authMethod: 'apiKey', clientId: 'c', username: '' })).toBe('apiKey');
  });
});
