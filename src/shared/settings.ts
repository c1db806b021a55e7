import { z } from 'zod';

/**
 * What the Settings screen edits. Every field but the console's own (`timezone`, `displayTimeZone`,
 * `icimsWebUrl`, `simulateTraffic`) mirrors one
 * environment variable of docs/INTERFACES.md §1; when that variable is set (in the real environment,
 * `.env.local` or `.env`), it wins and the field is read-only ("set by environment").
 */
export const SETTING_ENV_NAMES = {
  mode: 'ICIMS_MODE',
  baseUrl: 'ICIMS_BASE_URL',
  authMethod: 'ICIMS_AUTH',
  apiStyle: 'ICIMS_API_STYLE',
  customerId: 'ICIMS_CUSTOMER_ID',
  notesField: 'ICIMS_NOTES_FIELD',
  clientId: 'ICIMS_CLIENT_ID',
  tokenUrl: 'ICIMS_TOKEN_URL',
  username: 'ICIMS_USERNAME',
  rateLimitPerMin: 'ICIMS_RATE_LIMIT_PER_MIN',
  maxConcurrency: 'ICIMS_MAX_CONCURRENCY',
  dailyLimit: 'ICIMS_DAILY_LIMIT',
  timeoutMs: 'ICIMS_TIMEOUT_MS',
  readBack: 'ICIMS_READ_BACK',
} as const;

/** Secrets are write-only: the renderer can set or clear them, never read them back. */
export const SECRET_ENV_NAMES = {
  apiKey: 'ICIMS_API_KEY',
  clientSecret: 'ICIMS_CLIENT_SECRET',
  password: 'ICIMS_PASSWORD',
} as const;

export type SettingField = keyof typeof SETTING_ENV_NAMES;
export type SecretField = keyof typeof SECRET_ENV_NAMES;

export const AUTH_METHODS = ['apiKey', 'oauth', 'basic'] as const;
export const API_STYLES = ['applications', 'workflows'] as const;
export const MODES = ['mock', 'real'] as const;
/** ICIMS_READ_BACK: check iCIMS before re-sending a write whose outcome is unknown, or trust the key. */
export const READ_BACK_MODES = ['auto', 'off'] as const;

export const settingsValuesSchema = z.object({
  mode: z.enum(MODES),
  baseUrl: z.string().max(500),
  /** `null` = inferred from which credentials are present (docs/INTERFACES.md §1). */
  authMethod: z.enum(AUTH_METHODS).nullable(),
  apiStyle: z.enum(API_STYLES),
  customerId: z.string().max(100),
  notesField: z.string().max(100),
  clientId: z.string().max(500),
  tokenUrl: z.string().max(500),
  username: z.string().max(500),
  rateLimitPerMin: z.number().int(),
  maxConcurrency: z.number().int(),
  dailyLimit: z.number().int(),
  timeoutMs: z.number().int(),
  /**
   * `auto`: before re-sending a note write whose outcome is unknown, read the application's notes
   * back; `off`: trust iCIMS to drop a repeated Idempotency-Key (docs/INTERFACES.md §6).
   */
  readBack: z.enum(READ_BACK_MODES),
  /** The console's time zone: notes of events without `timezone` are WRITTEN in it. */
  timezone: z.string().max(100),
  /**
   * The zone the screens SHOW absolute times in (with its short name); `''` = the zone of the
   * computer showing them. Changes nothing that is written to iCIMS.
   */
  displayTimeZone: z.string().max(100),
  /**
   * Where the timeline and job detail link into iCIMS (real mode only): an https address with
   * `{applicationId}` and optionally `{noteId}`, filled in per job; `''` = no links.
   */
  icimsWebUrl: z.string().max(500),
  /** Mock mode only: generate scheduling traffic so every card has data. */
  simulateTraffic: z.boolean(),
});
export type SettingsValues = z.infer<typeof settingsValuesSchema>;

export const secretStorageSchema = z.object({
  /** e.g. `keychain`, `dpapi`, `gnome_libsecret`, `basic_text`, `file-key` (headless). */
  backend: z.string(),
  /** False when the secrets at rest are only obfuscated (for example Linux `basic_text`). */
  secure: z.boolean(),
  warning: z.string().nullable(),
});

export const settingsViewSchema = z.object({
  values: settingsValuesSchema,
  /** Which secrets are saved (or set by environment) — never their values. */
  secrets: z.object({ apiKey: z.boolean(), clientSecret: z.boolean(), password: z.boolean() }),
  /** Fields whose value comes from the environment and cannot be edited here. */
  envLocked: z.array(z.string()),
  secretStorage: secretStorageSchema,
  /** The auth method in effect (the explicit one, or the inferred one). */
  effectiveAuthMethod: z.enum(AUTH_METHODS),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const saveSettingsInputSchema = z.object({
  values: settingsValuesSchema.partial(),
  /** A string sets the secret, `null` clears it, a missing key leaves it as saved. */
  secrets: z
    .object({
      apiKey: z.string().max(4096).nullable(),
      clientSecret: z.string().max(4096).nullable(),
      password: z.string().max(4096).nullable(),
    })
    .partial()
    .default({}),
});
export type SaveSettingsInput = z.input<typeof saveSettingsInputSchema>;

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().int().nullable(),
  statusCode: z.number().int().nullable(),
  message: z.string(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
