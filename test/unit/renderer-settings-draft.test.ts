import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS_VALUES } from '../../src/shared/settings-rules';
import type { SettingsView } from '../../src/shared/settings';
import type { SettingsDraft } from '../../src/renderer/src/pages/settings/settings-draft';
import {
  changedValues,
  EMPTY_DRAFT,
  inputValue,
  isDirty,
  newSecrets,
  resolveValues,
  toSaveInput,
} from '../../src/renderer/src/pages/settings/settings-draft';
import { clientIssues, fieldOfIssuePath } from '../../src/renderer/src/pages/settings/settings-issues';
import { isFieldVisible } from '../../src/renderer/src/pages/settings/settings-visibility';

/** The Settings screen's unsaved edits: what is sent on Save, what is flagged before it. */

function view(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    values: { ...DEFAULT_SETTINGS_VALUES, mode: 'real', baseUrl: 'https://api.icims.com' },
    secrets: { apiKey: true, clientSecret: false, password: false },
    envLocked: [],
    secretStorage: { backend: 'file-key', secure: false, warning: null },
    effectiveAuthMethod: 'apiKey',
    ...overrides,
  };
}

const draft = (values: SettingsDraft['values'] = {}, secrets: SettingsDraft['secrets'] = {}): SettingsDraft => ({
  values,
  secrets,
});

describe('settings draft', () => {
  it('shows saved values until a field is edited, and the edit after', () => {
    const v = view();
    expect(inputValue(v, EMPTY_DRAFT, 'baseUrl')).toBe('https://api.icims.com');
    expect(inputValue(v, EMPTY_DRAFT, 'rateLimitPerMin')).toBe('100');
    expect(inputValue(v, EMPTY_DRAFT, 'authMethod')).toBe('');
    expect(inputValue(v, EMPTY_DRAFT, 'simulateTraffic')).toBe(true);
    expect(inputValue(v, draft({ baseUrl: 'https://api-eu.icims.com' }), 'baseUrl')).toBe('https://api-eu.icims.com');
  });

  it('parses number fields, maps "" to an inferred auth method, and turns unparsable numbers into NaN for the rules to catch', () => {
    const resolved = resolveValues(
      view(),
      draft({ rateLimitPerMin: '250', maxConcurrency: '', timeoutMs: 'abc', authMethod: '' }),
    );
    expect(resolved.rateLimitPerMin).toBe(250);
    expect(resolved.maxConcurrency).toBeNaN();
    expect(resolved.timeoutMs).toBeNaN();
    expect(resolved.authMethod).toBeNull();
    expect(resolveValues(view(), draft({ authMethod: 'oauth' })).authMethod).toBe('oauth');
  });

  it('sends only what changed, and never a field the environment locks', () => {
    const v = view({ envLocked: ['mode'] });
    const d = draft({ baseUrl: 'https://api-eu.icims.com', rateLimitPerMin: '100', mode: 'mock', dailyLimit: '500' });
    expect(changedValues(v, d)).toEqual({ baseUrl: 'https://api-eu.icims.com', dailyLimit: 500 });
  });

  it('an edit typed back to the saved value is not a change', () => {
    const v = view();
    expect(isDirty(v, draft({ baseUrl: 'https://api.icims.com' }))).toBe(false);
    expect(isDirty(v, draft({ baseUrl: 'https://api.icims.com/' }))).toBe(true);
    expect(isDirty(v, EMPTY_DRAFT)).toBe(false);
  });

  it('secrets: a typed value sets, "clear" sends null, an empty value sends nothing', () => {
    expect(newSecrets(draft({}, { apiKey: { kind: 'set', value: 'new-key-0123456789' } }))).toEqual({
      apiKey: 'new-key-0123456789',
    });
    expect(newSecrets(draft({}, { password: { kind: 'clear' } }))).toEqual({ password: null });
    expect(newSecrets(draft({}, { apiKey: { kind: 'set', value: '' } }))).toEqual({});
    expect(isDirty(view(), draft({}, { apiKey: { kind: 'clear' } }))).toBe(true);
  });

  it('builds the save input from both', () => {
    const input = toSaveInput(
      view(),
      draft({ timezone: 'America/Chicago' }, { apiKey: { kind: 'set', value: 'rotated-key-0123456789' } }),
    );
    expect(input).toEqual({ values: { timezone: 'America/Chicago' }, secrets: { apiKey: 'rotated-key-0123456789' } });
  });
});

describe('settings issues on screen', () => {
  it('names fields as the screen labels them', () => {
    const issues = clientIssues(view(), draft({ baseUrl: 'api.icims.com', maxConcurrency: '0' }));
    expect(issues).toEqual([
      {
        field: 'baseUrl',
        message: 'Base URL must be an http(s) URL without query or credentials, e.g. https://api.icims.com',
      },
      { field: 'maxConcurrency', message: 'Max concurrency must be a positive integer' },
    ]);
  });

  it('requires a base URL and a key only in real mode', () => {
    const noKey = view({ secrets: { apiKey: false, clientSecret: false, password: false } });
    expect(clientIssues(noKey, draft({ baseUrl: '' })).map((i) => i.message)).toEqual([
      'Base URL is required',
      'API key is required for apiKey auth',
    ]);
    expect(clientIssues(noKey, draft({ baseUrl: '', mode: 'mock' }))).toEqual([]);
    expect(clientIssues(view(), draft({}, { apiKey: { kind: 'set', value: 'short' } })).map((i) => i.message)).toEqual([
      'API key appears invalid',
    ]);
  });

  it("maps a rejected save's issue paths to fields, by name or by environment variable", () => {
    expect(fieldOfIssuePath('values.baseUrl')).toBe('baseUrl');
    expect(fieldOfIssuePath('secrets.apiKey')).toBe('apiKey');
    expect(fieldOfIssuePath('ICIMS_TIMEOUT_MS')).toBe('timeoutMs');
    expect(fieldOfIssuePath('ICIMS_CLIENT_SECRET')).toBe('clientSecret');
    expect(fieldOfIssuePath('values')).toBeNull();
    expect(fieldOfIssuePath('')).toBeNull();
  });

  it('shows only the fields of the auth method, style and mode in effect', () => {
    const values = resolveValues(view(), EMPTY_DRAFT);
    expect(isFieldVisible('apiKey', values)).toBe(true);
    expect(isFieldVisible('clientSecret', values)).toBe(false);
    expect(isFieldVisible('customerId', values)).toBe(false);
    expect(isFieldVisible('simulateTraffic', values)).toBe(false);
    const oauthWorkflows = resolveValues(
      view(),
      draft({ clientId: 'console-client', apiStyle: 'workflows', mode: 'mock' }),
    );
    expect(isFieldVisible('apiKey', oauthWorkflows)).toBe(false);
    expect(isFieldVisible('tokenUrl', oauthWorkflows)).toBe(true);
    expect(isFieldVisible('customerId', oauthWorkflows)).toBe(true);
    expect(isFieldVisible('simulateTraffic', oauthWorkflows)).toBe(true);
  });
});
