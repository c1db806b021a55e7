import type { Database } from 'better-sqlite3';
import { ConsoleApiError } from '../../../shared/console-api';
import type { SaveSettingsInput, SecretField, SettingsValues, SettingsView } from '../../../shared/settings';
import { SECRET_ENV_NAMES, SETTING_ENV_NAMES, settingsValuesSchema } from '../../../shared/settings';
import { CONSOLE_ONLY_FIELDS, DEFAULT_SETTINGS_VALUES, validateSettings } from '../../../shared/settings-rules';
import type { SettingsRuleField } from '../../../shared/settings-rules';
import { FIELD_LABELS } from '../../../shared/settings-labels';
import { ConfigValidationError } from '../config/config-error';
import type { EngineConfig } from '../config/engine-config';
import type { SavedSettings } from '../config/resolve-config';
import { resolveConfig } from '../config/resolve-config';
import type { Logger } from '../logger';
import type { SecretStore } from './secret-store';
import { credentialsDiffer } from './credential-fingerprint';
import { assertSecretFollowsDestination } from './destination-binding';
import { SettingsRepository } from './settings-repository';

const VALUES_KEY = 'settings.values';
const secretKey = (field: SecretField) => `secret.${field}`;
const SECRET_FIELDS = Object.keys(SECRET_ENV_NAMES) as SecretField[];

/** Parsed `saveSettings` input (defaults applied). */
export type SaveSettingsRequest = Required<Pick<SaveSettingsInput, 'values'>> & {
  secrets: NonNullable<SaveSettingsInput['secrets']>;
};

export interface SettingsChange {
  config: EngineConfig;
  /** The credentials (or where they are sent) changed: a pause for rejected credentials lifts. */
  credentialsChanged: boolean;
}

/**
 * What the admin saved in the Settings screen, merged under the environment (which always wins).
 * Secrets are encrypted with the host's SecretStore before they reach the database and are
 * never part of what this service returns to a transport.
 */
export class SettingsService {
  private readonly repo: SettingsRepository;

  constructor(
    db: Database,
    private readonly secretStore: SecretStore,
    private readonly env: Record<string, string | undefined>,
    private readonly logger: Logger,
  ) {
    this.repo = new SettingsRepository(db);
  }

  /** The configuration in effect: throws ConfigValidationError for a bad environment. */
  resolve(): EngineConfig {
    return resolveConfig({ env: this.env, saved: this.saved() });
  }

  /** The console's own settings that have no environment variable. */
  consoleValues(): Pick<SettingsValues, (typeof CONSOLE_ONLY_FIELDS)[number]> {
    const saved = this.savedValues();
    return {
      timezone: saved.timezone ?? DEFAULT_SETTINGS_VALUES.timezone,
      displayTimeZone: saved.displayTimeZone ?? DEFAULT_SETTINGS_VALUES.displayTimeZone,
      icimsWebUrl: saved.icimsWebUrl ?? DEFAULT_SETTINGS_VALUES.icimsWebUrl,
      simulateTraffic: saved.simulateTraffic ?? DEFAULT_SETTINGS_VALUES.simulateTraffic,
    };
  }

  view(config: EngineConfig): SettingsView {
    const saved = this.savedValues();
    const locked = new Set(config.lockedByEnvironment);
    const text = (field: 'baseUrl' | 'customerId' | 'notesField' | 'clientId' | 'tokenUrl' | 'username'): string =>
      locked.has(field) ? (this.env[SETTING_ENV_NAMES[field]] ?? '') : (saved[field] ?? DEFAULT_SETTINGS_VALUES[field]);
    const values: SettingsValues = {
      mode: config.icims.mode,
      baseUrl: config.icims.baseUrl,
      authMethod: locked.has('authMethod') ? config.icims.auth.method : (saved.authMethod ?? null),
      apiStyle: config.icims.apiStyle,
      customerId: text('customerId'),
      notesField: text('notesField'),
      clientId: text('clientId'),
      tokenUrl: text('tokenUrl'),
      username: text('username'),
      rateLimitPerMin: config.icims.rateLimitPerMin,
      maxConcurrency: config.icims.maxConcurrency,
      dailyLimit: config.icims.dailyLimit,
      timeoutMs: config.icims.timeoutMs,
      readBack: config.sync.readBack,
      ...this.consoleValues(),
    };
    const present = (field: SecretField) => locked.has(field) || this.repo.get(secretKey(field)) !== null;
    return {
      values,
      secrets: { apiKey: present('apiKey'), clientSecret: present('clientSecret'), password: present('password') },
      envLocked: config.lockedByEnvironment,
      secretStorage: {
        backend: this.secretStore.backend,
        secure: this.secretStore.secure,
        warning: this.secretStore.warning,
      },
      effectiveAuthMethod: config.icims.auth.method,
    };
  }

  /**
   * Validates the request merged over what is saved, as the engine would run it, and returns the
   * configuration it yields without storing anything (Test connection uses this for unsaved input).
   */
  preview(request: SaveSettingsRequest, current: EngineConfig): { config: EngineConfig; saved: SavedSettings } {
    const locked = new Set(current.lockedByEnvironment);
    const issues: { path: string; message: string }[] = [];
    const values: Partial<SettingsValues> = { ...this.savedValues() };
    for (const [field, value] of Object.entries(request.values) as [keyof SettingsValues, unknown][]) {
      if (value === undefined) continue;
      if (locked.has(field)) {
        const name = field in SETTING_ENV_NAMES ? SETTING_ENV_NAMES[field as keyof typeof SETTING_ENV_NAMES] : field;
        if (value !== this.view(current).values[field])
          issues.push({ path: `values.${field}`, message: `is set by environment (${name}); change it there` });
        continue;
      }
      (values as Record<string, unknown>)[field] = value;
    }
    const saved: SavedSettings = { ...values, ...this.savedSecrets() };
    for (const field of SECRET_FIELDS) {
      const next = request.secrets[field];
      if (next === undefined) continue;
      if (locked.has(field)) {
        issues.push({
          path: `secrets.${field}`,
          message: `is set by environment (${SECRET_ENV_NAMES[field]}); change it there`,
        });
        continue;
      }
      saved[field] = next === null || next === '' ? null : next;
    }
    if (issues.length > 0) throw new ConsoleApiError('invalid_input', 'Some fields are set by environment', issues);

    const config = this.validated(values, saved, locked);
    assertSecretFollowsDestination(current, config, request.secrets);
    return { config, saved };
  }

  save(request: SaveSettingsRequest, current: EngineConfig): SettingsChange {
    const { config, saved } = this.preview(request, current);
    const values = settingsValuesSchema
      .partial()
      .parse(Object.fromEntries(Object.entries(saved).filter(([key]) => !SECRET_FIELDS.includes(key as SecretField))));
    let encrypted: [SecretField, string | null][];
    try {
      encrypted = SECRET_FIELDS.filter((field) => request.secrets[field] !== undefined).map((field) => {
        const value = saved[field];
        return [field, value ? this.secretStore.encrypt(value) : null];
      });
    } catch (error) {
      if (error instanceof ConsoleApiError) throw error;
      throw new ConsoleApiError('unavailable', `Secrets cannot be stored safely here: ${(error as Error).message}`);
    }
    this.repo.transaction(() => {
      this.repo.set(VALUES_KEY, JSON.stringify(values));
      for (const [field, cipher] of encrypted) this.repo.set(secretKey(field), cipher);
    });
    this.logger.log('info', 'settings.saved', {
      fields: Object.keys(request.values),
      secretsChanged: encrypted.map(([field]) => field),
    });
    return { config, credentialsChanged: credentialsDiffer(config, current) };
  }

  /**
   * What this console has saved: values and secrets (decrypted, for this process only). Team mode
   * (team/team-settings.ts) shares them; nothing here is for a transport.
   */
  savedCopy(): { values: Partial<SettingsValues>; secrets: Partial<Record<SecretField, string>> } {
    const secrets: Partial<Record<SecretField, string>> = {};
    for (const [field, value] of Object.entries(this.savedSecrets()) as [SecretField, string | null][])
      if (value) secrets[field] = value;
    return { values: this.savedValues(), secrets };
  }

  /**
   * Replaces the saved values wholesale, and the saved secrets too when `next.secrets` is given
   * (a field it lacks is cleared); without it the saved secrets stay. Team mode uses this to take
   * the team's settings. Checked as a save is, against this console's environment (which still
   * wins): settings that would not run here, or that move a saved or environment secret to another
   * destination without bringing that secret along, are refused with a ConsoleApiError and
   * nothing is stored. `changed` is false when the copy equals what was saved.
   */
  replaceSaved(
    next: { values: Partial<SettingsValues>; secrets?: Partial<Record<SecretField, string | null>> },
    current: EngineConfig,
  ): SettingsChange & { changed: boolean } {
    const parsed = settingsValuesSchema.partial().safeParse(next.values);
    if (!parsed.success)
      throw new ConsoleApiError(
        'invalid_input',
        `The settings to take are not in a form this console reads (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`,
      );
    const values = parsed.data;
    const before = this.savedCopy();
    const secrets: Partial<Record<SecretField, string>> = {};
    if (next.secrets) {
      for (const field of SECRET_FIELDS) {
        const value = next.secrets[field];
        if (value) secrets[field] = value;
      }
    } else Object.assign(secrets, before.secrets);
    const locked = new Set(current.lockedByEnvironment);
    const config = this.validated(values, { ...values, ...secrets }, locked);
    // Only a secret this console does not take from its environment can follow a new destination.
    const brought = Object.fromEntries(
      Object.entries(next.secrets ?? {}).filter(([field]) => !config.lockedByEnvironment.includes(field)),
    );
    assertSecretFollowsDestination(current, config, brought);

    const valuesChanged = !sameRecord(before.values, values);
    const secretsChanged = SECRET_FIELDS.filter((field) => before.secrets[field] !== secrets[field]);
    if (!valuesChanged && secretsChanged.length === 0) return { config, credentialsChanged: false, changed: false };
    let encrypted: [SecretField, string | null][];
    try {
      encrypted = secretsChanged.map((field) => {
        const value = secrets[field];
        return [field, value ? this.secretStore.encrypt(value) : null];
      });
    } catch (error) {
      throw new ConsoleApiError('unavailable', `Secrets cannot be stored safely here: ${(error as Error).message}`);
    }
    this.repo.transaction(() => {
      this.repo.set(VALUES_KEY, JSON.stringify(values));
      for (const [field, cipher] of encrypted) this.repo.set(secretKey(field), cipher);
    });
    this.logger.log('info', 'settings.replaced', {
      fields: Object.keys({ ...before.values, ...values }).filter(
        (field) =>
          JSON.stringify(before.values[field as keyof SettingsValues]) !==
          JSON.stringify(values[field as keyof SettingsValues]),
      ),
      secretsChanged,
    });
    return { config, credentialsChanged: credentialsDiffer(config, current), changed: true };
  }

  /**
   * The configuration `saved` yields under this console's environment, with the console's own
   * settings checked by the screen's rules; a ConsoleApiError naming each field by its label if not.
   */
  private validated(values: Partial<SettingsValues>, saved: SavedSettings, locked: Set<string>): EngineConfig {
    // The console's own settings are not part of the engine configuration: checked here, by the
    // same rules as the screen's, each named by its label.
    const consoleIssues = validateSettings(
      { ...DEFAULT_SETTINGS_VALUES, ...pickConsoleValues(values) },
      { apiKey: true, clientSecret: true, password: true },
      {},
      { nameOf: (field) => FIELD_LABELS[field] },
    )
      .filter((issue) => (CONSOLE_ONLY_FIELDS as readonly string[]).includes(issue.field))
      .map((issue) => ({ path: `values.${issue.field}`, message: issue.message }));

    let config: EngineConfig | null = null;
    let configIssues: { path: string; message: string }[] = [];
    try {
      config = resolveConfig({ env: this.env, saved });
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      // The admin reads these next to the fields: name them as the screen does. A value that
      // comes from the environment keeps the variable's name, since that is where it is fixed.
      configIssues = error.issues.map((issue) => ({
        path: fieldPath(issue.field) ?? issue.variable,
        message:
          issue.field && !locked.has(issue.field) && issue.field in FIELD_LABELS
            ? issue.message.split(issue.variable).join(FIELD_LABELS[issue.field as SettingsRuleField])
            : issue.message,
      }));
    }
    const allIssues = [...configIssues, ...consoleIssues];
    if (allIssues.length > 0 || config === null) {
      const message =
        allIssues.length === 1
          ? (allIssues[0]?.message ?? 'Invalid settings')
          : `${allIssues.length} problems: ${allIssues.map((i) => i.message).join('; ')}`;
      throw new ConsoleApiError('invalid_input', message, allIssues);
    }
    return config;
  }

  private savedValues(): Partial<SettingsValues> {
    const raw = this.repo.get(VALUES_KEY);
    if (!raw) return {};
    const parsed = settingsValuesSchema.partial().safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    this.logger.log('warn', 'settings.unreadable', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
    return {};
  }

  private savedSecrets(): Partial<Record<SecretField, string | null>> {
    const out: Partial<Record<SecretField, string | null>> = {};
    for (const field of SECRET_FIELDS) {
      const cipher = this.repo.get(secretKey(field));
      if (!cipher) continue;
      try {
        out[field] = this.secretStore.decrypt(cipher);
      } catch (error) {
        // A secret saved under another OS account or key cannot be read: treat it as missing
        // (the Settings screen then asks for it) rather than refusing to start.
        this.logger.log('warn', 'settings.secret_unreadable', { field, error: (error as Error).message });
      }
    }
    return out;
  }

  private saved(): SavedSettings {
    return { ...this.savedValues(), ...this.savedSecrets() };
  }
}

function sameRecord(a: object, b: object): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every(
    (key) =>
      JSON.stringify((a as Record<string, unknown>)[key]) === JSON.stringify((b as Record<string, unknown>)[key]),
  );
}

function pickConsoleValues(values: Partial<SettingsValues>): Partial<SettingsValues> {
  const out: Partial<SettingsValues> = {};
  for (const field of CONSOLE_ONLY_FIELDS) {
    if (values[field] !== undefined) (out as Record<string, unknown>)[field] = values[field];
  }
  return out;
}

/** Where a field lives in the saveSettings input: `values.baseUrl`, `secrets.apiKey`. */
function fieldPath(field: string | null): string | null {
  if (field === null) return null;
  return SECRET_FIELDS.includes(field as SecretField) ? `secrets.${field}` : `values.${field}`;
}
