import type { PoolClient } from 'pg';
import { ConsoleApiError } from '../../../shared/console-api';
import type { ConsoleTokenKind } from '../../../shared/console-tokens';
import { CONSOLE_TOKEN_KINDS } from '../../../shared/console-tokens';
import type { SecretField, SettingsValues } from '../../../shared/settings';
import { SECRET_ENV_NAMES, settingsValuesSchema } from '../../../shared/settings';
import type { AuthMethod } from '../../../shared/settings-rules';
import type { EngineConfig } from '../config/engine-config';
import { EnvReader } from '../config/env-values';
import type { ConsoleTokens } from '../host/console-tokens';
import { TOKEN_VARIABLES } from '../host/console-tokens';
import type { Logger } from '../logger';
import { SECRET_OF_METHOD } from '../settings/destination-binding';
import type { SettingsService } from '../settings/settings-service';
import type { TeamDatabase } from './pg-connection';
import { TeamSecretBox, TeamSecrets } from './team-secret-box';
import type { TeamState } from './team-state';

/*
 * Keeps one console's saved settings and console tokens in step with its team's (team mode,
 * docs/TEAM_MODE.md "What is shared"). The local copies stay where they are (SettingsService in
 * the console's SQLite, ConsoleTokens in 0600 files) because the engine reads them synchronously;
 * this class moves them to and from PostgreSQL.
 *
 * Intended calls (the engine composition, after TeamRuntime.open):
 *
 *   const team = new TeamSettings({ db: runtime.db, state: runtime.state, settings,
 *     teamKey: config.team.teamKey, node: config.team.nodeName, current: () => live.current(), logger });
 *   const joined = await team.join();            // first engine publishes its settings, later ones take the team's
 *   if (joined.changed) live.apply(joined.config, joined.credentialsChanged);
 *   await team.syncTokens(tokens);               // first engine publishes its tokens, later ones adopt them;
 *                                                // from then on a rotation here is published to the team
 *   runtime.follower.on('change', async (s) => { // every settings-version bump, a token rotation's too
 *     if (s.settingsVersion > team.version) {
 *       const pulled = await team.pull();        // log a failure (TeamKeyError, refused settings); keep running
 *       if (pulled.changed) live.apply(pulled.config, pulled.credentialsChanged);
 *       await team.syncTokens(tokens);
 *     }
 *   });
 *   // saveSettings: team.assertSecretsShareable(input.secrets) BEFORE settings.save(...), then
 *   // live.apply(...), then `const pushed = await team.push(by)` and apply `pushed` if it changed.
 *   // TeamRuntime's `credentialsFrom` option: credentialsFrom(env, live.current().icims.auth.method).
 *   // On close: team.stop().
 *
 * Versions decide: the team's settings version (team_state row `settings`) is bumped by every push
 * in the same transaction that writes the values and secrets, under an advisory lock that
 * readers share, so a read sees one save whole. Push and pull run one at a time per console, and
 * a pull applies only a version newer than the last one this console applied or wrote. A pull
 * that finds a local save not yet shared (its push still queued, or failed) shares it first
 * instead of overwriting it. A push whose console missed a newer team save merges field by
 * field: what this console changed since it last synced wins, the rest stays the team's.
 */

/** The `settings` row holding the team's values (JSON, the shared fields only). */
export const TEAM_VALUES_KEY = 'settings.values';

/** Sealed iCIMS secrets and console tokens in `team_secrets`. */
export const TEAM_SECRET_NAMES: Record<SecretField, string> = {
  apiKey: 'icims.apiKey',
  clientSecret: 'icims.clientSecret',
  password: 'icims.password',
};
export const TEAM_TOKEN_NAMES: Record<ConsoleTokenKind, string> = {
  api: 'console.apiToken',
  ingest: 'console.ingestToken',
};

/**
 * Settings each console keeps for itself. The display time zone is about the person looking;
 * simulated traffic is a mock-mode tool of one console. The other console settings are the
 * team's: the note time zone shapes the note text, which must not depend on which engine sent
 * it, and the iCIMS web address belongs to the account, like its base URL.
 */
export const PER_CONSOLE_FIELDS = ['displayTimeZone', 'simulateTraffic'] as const;

/** Pushes take it exclusively, reads shared (pg-migrate.ts and team-rate-limiter.ts use …001, …002). */
export const SETTINGS_LOCK_KEY = 7_145_011_003;

const SECRET_FIELDS = Object.keys(TEAM_SECRET_NAMES) as SecretField[];
const SHARED_FIELDS = (Object.keys(settingsValuesSchema.shape) as (keyof SettingsValues)[]).filter(
  (field) => !(PER_CONSOLE_FIELDS as readonly string[]).includes(field),
);

type Values = Partial<SettingsValues>;
type Secrets = Partial<Record<SecretField, string>>;

/** The shared part of settings; `secrets` null when they are not shared (no key, or a role that may not read them). */
interface Shared {
  values: Values;
  secrets: Secrets | null;
}

interface TeamCopy extends Shared {
  version: number;
  /** False before any console published settings. */
  published: boolean;
  /** This console's database role may write settings (an operator's or viewer's may not). */
  writable: boolean;
}

export interface TeamSettingsResult {
  /** This console's saved settings changed: apply `config` (LiveConfig.apply) */
  changed: boolean;
  config: EngineConfig;
  credentialsChanged: boolean;
  /** The team's settings version this console now holds. */
  version: number;
}

export type TokenSyncOutcome = 'published' | 'adopted' | 'unchanged' | 'environment' | 'refused' | 'per-console';
export type TokenSyncReport = Record<ConsoleTokenKind, { outcome: TokenSyncOutcome; message: string | null }>;

export interface TeamSettingsOptions {
  db: TeamDatabase;
  state: TeamState;
  settings: SettingsService;
  /** SYNC_TEAM_KEY; null: secrets and tokens stay with each engine. */
  teamKey: Buffer | null;
  /** This engine's name: `updated_by` of what it writes without a person behind it. */
  node: string;
  /** The configuration the engine runs with now (LiveConfig.current). */
  current: () => EngineConfig;
  logger: Logger;
}

/** Whether this engine's iCIMS credential for `method` comes from its own environment. */
export function credentialsFrom(env: Record<string, string | undefined>, method: AuthMethod): 'environment' | 'team' {
  return new EnvReader(env).isSet(SECRET_ENV_NAMES[SECRET_OF_METHOD[method]]) ? 'environment' : 'team';
}

export class TeamSettings {
  private readonly secrets: TeamSecrets | null;
  private applied = 0;
  /** The shared settings as of `applied`: what a three-way merge compares against. */
  private base: Shared | null = null;
  /** The team's token values as this console last saw or wrote them. */
  private readonly teamTokens: Partial<Record<ConsoleTokenKind, string>> = {};
  private queue: Promise<unknown> = Promise.resolve();
  private watching: { tokens: ConsoleTokens; unsubscribe: () => void } | null = null;

  constructor(private readonly options: TeamSettingsOptions) {
    this.secrets = options.teamKey ? new TeamSecrets(options.db, new TeamSecretBox(options.teamKey)) : null;
  }

  /** The team settings version this console last applied or wrote (0: none yet). */
  get version(): number {
    return this.applied;
  }

  /** False without SYNC_TEAM_KEY: iCIMS secrets then come only from each engine's environment. */
  get sharesSecrets(): boolean {
    return this.secrets !== null;
  }

  /**
   * Refuses (ConsoleApiError `conflict`) a save that sets an iCIMS secret when the team has no
   * key: it would be stored on this console only and reach no other engine. Clearing one is fine.
   */
  assertSecretsShareable(secrets: Partial<Record<SecretField, string | null>> | undefined): void {
    if (this.secrets) return;
    const set = SECRET_FIELDS.filter((field) => typeof secrets?.[field] === 'string' && secrets[field] !== '');
    if (set.length === 0) return;
    const names = set.map((field) => SECRET_ENV_NAMES[field]).join(', ');
    throw new ConsoleApiError(
      'conflict',
      `Team mode without SYNC_TEAM_KEY keeps iCIMS secrets out of the shared database, so this one would reach no other engine: set ${names} in each engine's environment, or give every engine and console the same SYNC_TEAM_KEY and save it again`,
    );
  }

  /**
   * Refuses (ConsoleApiError `forbidden`) a save this console's database role could not share
   * (an operator's or viewer's may not write `settings`): asked before anything is saved here, so
   * the console never runs with settings the team does not have. The database's grants decide.
   */
  async assertWritable(): Promise<void> {
    const rows = await this.options.db.query<{ can: boolean }>(
      "SELECT has_table_privilege('settings', 'INSERT') AND has_table_privilege('settings', 'UPDATE') AS can",
    );
    if (rows[0]?.can !== true)
      throw new ConsoleApiError(
        'forbidden',
        "Not allowed: this console's database role may not save the team's settings, so nothing was saved; an admin can save them, or grant the engine role (docs/TEAM_MODE.md, Roles)",
      );
  }

  /** Whether this engine's iCIMS credential comes from its environment (a team save won't reach it). */
  credentialsFrom(env: Record<string, string | undefined>): 'environment' | 'team' {
    return credentialsFrom(env, this.options.current().icims.auth.method);
  }

  /**
   * At start: the first console of a team publishes its saved settings (and, with a key, its
   * secrets); a later one takes the team's in place of its own.
   */
  join(): Promise<TeamSettingsResult> {
    return this.serial(() => this.write(this.options.node, 'join'));
  }

  /** After a local save: shares it with the team (merged if the team moved on meanwhile), then bumps the version. */
  push(by: string | null): Promise<TeamSettingsResult> {
    return this.serial(() => this.write(by, 'push'));
  }

  /**
   * Takes the team's settings when its version is newer than the one this console holds:
   * replaces the saved values (and, with a key, the secrets) but keeps the per-console fields.
   * Throws, changing nothing here, on a wrong team key (TeamKeyError) or settings this console
   * refuses (ConsoleApiError: they would not run under its environment, or they move a secret).
   */
  pull(): Promise<TeamSettingsResult> {
    return this.serial(async () => {
      if (this.base && !sameShared(this.base, this.local(this.base.secrets !== null))) {
        // A local save not shared yet: share it (merged) rather than overwrite it.
        return this.write(this.options.node, 'push');
      }
      const before = this.local(true);
      const team = await this.options.db.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock_shared($1)', [SETTINGS_LOCK_KEY]);
        return this.readTeam(client);
      });
      if (team.version <= this.applied || !team.published) {
        this.applied = Math.max(this.applied, team.version);
        return this.unchanged();
      }
      // Saved here while we read: its push (queued behind this pull) merges it with the team's.
      if (!sameShared(before, this.local(true))) return this.unchanged();
      const result = this.applyLocally(team);
      this.applied = team.version;
      this.base = { values: team.values, secrets: team.secrets };
      return result;
    });
  }

  /**
   * The console tokens: a token the team does not have yet is published (the first engine's);
   * a different team token is adopted, unless this engine's comes from its environment, which
   * wins (and says so in the report and the log). Without a key, tokens stay per console.
   * From the first call on, a rotation of `tokens` (ConsoleTokens.onChange) is published to the
   * team with a settings-version bump; the other engines adopt it on their next syncTokens.
   */
  syncTokens(tokens: ConsoleTokens): Promise<TokenSyncReport> {
    if (this.secrets && !this.watching) {
      const unsubscribe = tokens.onChange(() => {
        this.publishRotation(tokens).catch((error: unknown) =>
          this.options.logger.log('warn', 'team.token_publish_failed', { error: (error as Error).message }),
        );
      });
      this.watching = { tokens, unsubscribe };
    }
    return this.serial(async () => {
      const { node, logger } = this.options;
      const perConsole = (): TokenSyncReport => ({
        api: { outcome: 'per-console', message: null },
        ingest: { outcome: 'per-console', message: null },
      });
      const secrets = this.secrets;
      if (!secrets) return perConsole();
      const found = await this.options.db.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SETTINGS_LOCK_KEY]);
        if (!(await canReadSecrets(client))) return null;
        const team = await secrets.getMany(Object.values(TEAM_TOKEN_NAMES), client);
        const published: ConsoleTokenKind[] = [];
        let rotated = false;
        for (const kind of CONSOLE_TOKEN_KINDS) {
          const name = TEAM_TOKEN_NAMES[kind];
          const value = tokens.value(kind);
          const known = this.teamTokens[kind];
          // A rotation here whose publication failed: the team still has what we last saw.
          const unpublished =
            known !== undefined && team.get(name) === known && value !== known && tokens.source(kind) === 'generated';
          if (team.has(name) && !unpublished) continue;
          await secrets.put(name, value, node, client);
          team.set(name, value);
          published.push(kind);
          rotated ||= unpublished;
        }
        if (rotated) await this.options.state.settingsSaved(node, client);
        return { team, published };
      });
      if (!found) return perConsole();
      const report = perConsole();
      for (const kind of CONSOLE_TOKEN_KINDS) {
        const value = found.team.get(TEAM_TOKEN_NAMES[kind]) as string;
        this.teamTokens[kind] = value;
        if (found.published.includes(kind)) report[kind] = { outcome: 'published', message: null };
        else if (value === tokens.value(kind)) report[kind] = { outcome: 'unchanged', message: null };
        else if (tokens.source(kind) === 'environment') {
          const message = `${TOKEN_VARIABLES[kind]} is set in this engine's environment, so it keeps its own ${kind} token rather than the team's`;
          report[kind] = { outcome: 'environment', message };
          logger.log('warn', 'team.token_from_environment', { kind, variable: TOKEN_VARIABLES[kind] });
        } else {
          try {
            tokens.adopt(kind, value);
            report[kind] = { outcome: 'adopted', message: null };
            logger.log('info', 'team.token_adopted', { kind });
          } catch (error) {
            report[kind] = {
              outcome: 'refused',
              message: `The team's ${kind} token was not taken: ${(error as Error).message}`,
            };
            logger.log('warn', 'team.token_refused', { kind, error: (error as Error).message });
          }
        }
      }
      return report;
    });
  }

  /** Stops publishing rotations. */
  stop(): void {
    this.watching?.unsubscribe();
    this.watching = null;
  }

  /** A rotation here (ConsoleTokens.onChange): publish it and bump the settings version so every engine syncs. */
  private publishRotation(tokens: ConsoleTokens): Promise<void> {
    return this.serial(async () => {
      const { node } = this.options;
      const secrets = this.secrets;
      if (!secrets) return;
      const rotated = CONSOLE_TOKEN_KINDS.filter(
        (kind) =>
          tokens.source(kind) === 'generated' &&
          this.teamTokens[kind] !== undefined &&
          this.teamTokens[kind] !== tokens.value(kind),
      );
      if (rotated.length === 0) return;
      const values = new Map(rotated.map((kind) => [kind, tokens.value(kind)]));
      await this.options.db.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SETTINGS_LOCK_KEY]);
        for (const [kind, value] of values) await secrets.put(TEAM_TOKEN_NAMES[kind], value, node, client);
        await this.options.state.settingsSaved(node, client);
      });
      for (const [kind, value] of values) this.teamTokens[kind] = value;
      this.options.logger.log('info', 'team.token_published', { kinds: rotated });
    });
  }

  /**
   * Writes this console's shared settings to the team (`push`), or only if the team has none yet
   * (`join`, which otherwise takes the team's). Reads first, so a wrong key throws before anything
   * is written.
   */
  private async write(by: string | null, mode: 'push' | 'join'): Promise<TeamSettingsResult> {
    const before = this.local(true);
    const written = await this.options.db.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SETTINGS_LOCK_KEY]);
      const team = await this.readTeam(client);
      // Joining a team that has settings, or with a role that may not write them: take the team's.
      if (mode === 'join' && (team.published || !team.writable)) return { team, merged: null, version: team.version };
      const local = withoutSecretsUnless(before, team.secrets !== null);
      // With no base (never synced) this console's copy is taken whole; see join().
      const merged = team.published && this.base ? merge(this.base, local, team) : local;
      if (team.published && sameShared(merged, team)) return { team, merged, version: team.version };
      await client.query(
        `INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = team_now_ms()`,
        [TEAM_VALUES_KEY, JSON.stringify(merged.values)],
      );
      if (this.secrets && merged.secrets && team.secrets) {
        for (const field of SECRET_FIELDS) {
          const value = merged.secrets[field];
          if (value === team.secrets[field]) continue;
          if (value) await this.secrets.put(TEAM_SECRET_NAMES[field], value, by, client);
          else await this.secrets.remove(TEAM_SECRET_NAMES[field], client);
        }
      }
      const version = await this.options.state.settingsSaved(by, client);
      return { team, merged, version };
    });
    // A console that may not publish, joining a team with nothing published: keeps its own.
    if (!written.merged && !written.team.published) {
      this.applied = written.version;
      return this.unchanged();
    }
    const next: Shared = written.merged ?? { values: written.team.values, secrets: written.team.secrets };
    const now = this.local(next.secrets !== null);
    this.applied = written.version;
    if (written.merged && written.version !== written.team.version)
      this.options.logger.log('info', 'team.settings_shared', { version: written.version });
    if (!sameShared(withoutSecretsUnless(before, next.secrets !== null), now)) {
      // Saved here while we wrote: leave that save alone. Its push merges it over `next`, with
      // what this console had before it as the base, so the team's other changes are kept.
      this.base = withoutSecretsUnless(before, next.secrets !== null);
      return { ...this.unchanged(), version: written.version };
    }
    const result = sameShared(next, now)
      ? this.unchanged()
      : this.applyLocally({ ...next, version: written.version, published: true, writable: written.team.writable });
    this.base = next;
    return { ...result, version: written.version };
  }

  /** The team's shared settings, secrets opened (TeamKeyError if they cannot be). */
  private async readTeam(client: PoolClient): Promise<TeamCopy> {
    const { rows } = await client.query<{
      version: string | null;
      value: string | null;
      can_read: boolean;
      can_write: boolean;
    }>(
      `SELECT (SELECT version FROM team_state WHERE key = 'settings') AS version,
              (SELECT value FROM settings WHERE key = $1) AS value,
              has_table_privilege('team_secrets', 'SELECT') AS can_read,
              has_table_privilege('settings', 'INSERT') AND has_table_privilege('settings', 'UPDATE') AS can_write`,
      [TEAM_VALUES_KEY],
    );
    const row = rows[0];
    const version = Number(row?.version ?? 0);
    let values: Values = {};
    if (row?.value) {
      const parsed = settingsValuesSchema.partial().safeParse(JSON.parse(row.value));
      if (!parsed.success)
        throw new Error(
          `The team's saved settings cannot be read by this engine (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}); is another engine of a newer version?`,
        );
      values = pickShared(parsed.data);
    }
    let secrets: Secrets | null = null;
    if (this.secrets && row?.can_read) {
      const opened = await this.secrets.getMany(Object.values(TEAM_SECRET_NAMES), client);
      secrets = {};
      for (const field of SECRET_FIELDS) {
        const value = opened.get(TEAM_SECRET_NAMES[field]);
        if (value) secrets[field] = value;
      }
    }
    return { version, values, secrets, published: Boolean(row?.value), writable: row?.can_write === true };
  }

  /** This console's shared settings as saved here. */
  private local(withSecrets: boolean): Shared {
    const saved = this.options.settings.savedCopy();
    return { values: pickShared(saved.values), secrets: withSecrets ? saved.secrets : null };
  }

  /** Replaces this console's saved settings with `team`'s, keeping its per-console fields. */
  private applyLocally(team: TeamCopy): TeamSettingsResult {
    const saved = this.options.settings.savedCopy();
    const perConsole: Values = {};
    for (const field of PER_CONSOLE_FIELDS)
      if (saved.values[field] !== undefined) (perConsole as Record<string, unknown>)[field] = saved.values[field];
    const change = this.options.settings.replaceSaved(
      { values: { ...team.values, ...perConsole }, ...(team.secrets ? { secrets: team.secrets } : {}) },
      this.options.current(),
    );
    if (change.changed) this.options.logger.log('info', 'team.settings_taken', { version: team.version });
    return { ...change, version: team.version };
  }

  private unchanged(): TeamSettingsResult {
    return { changed: false, config: this.options.current(), credentialsChanged: false, version: this.applied };
  }

  /** One push, pull or token sync at a time on this console, in the order asked. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function canReadSecrets(client: PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ can: boolean }>("SELECT has_table_privilege('team_secrets', 'SELECT') AS can");
  return rows[0]?.can === true;
}

function pickShared(values: Values): Values {
  const out: Values = {};
  for (const field of SHARED_FIELDS)
    if (values[field] !== undefined) (out as Record<string, unknown>)[field] = values[field];
  return out;
}

function sameRecord(a: object, b: object): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every(
    (key) =>
      JSON.stringify((a as Record<string, unknown>)[key]) === JSON.stringify((b as Record<string, unknown>)[key]),
  );
}

function withoutSecretsUnless(shared: Shared, withSecrets: boolean): Shared {
  return withSecrets ? shared : { values: shared.values, secrets: null };
}

function sameShared(a: Shared, b: Shared): boolean {
  if (!sameRecord(a.values, b.values)) return false;
  if (a.secrets === null || b.secrets === null) return true;
  return sameRecord(a.secrets, b.secrets);
}

/** Field by field: what this console changed since `base` wins, everything else is the team's. */
function merge(base: Shared, local: Shared, team: Shared): Shared {
  const pick = <T extends object>(b: T, l: T, t: T): T => {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(b), ...Object.keys(l), ...Object.keys(t)])) {
      const mine = (l as Record<string, unknown>)[key];
      const changedHere = JSON.stringify(mine) !== JSON.stringify((b as Record<string, unknown>)[key]);
      const value = changedHere ? mine : (t as Record<string, unknown>)[key];
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
  return {
    values: pick(base.values, local.values, team.values),
    secrets: local.secrets && team.secrets ? pick(base.secrets ?? {}, local.secrets, team.secrets) : local.secrets,
  };
}
