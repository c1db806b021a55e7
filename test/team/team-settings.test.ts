import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SaveSettingsInput } from '../../src/shared/settings';
import { ConsoleTokens } from '../../src/main/engine/host/console-tokens';
import { LiveConfig } from '../../src/main/engine/live-config';
import { silentLogger } from '../../src/main/engine/logger';
import { FileKeySecretStore } from '../../src/main/engine/settings/file-key-secret-store';
import { SettingsService } from '../../src/main/engine/settings/settings-service';
import { openDatabase } from '../../src/main/engine/sync/database';
import type { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { parseTeamKey, TeamKeyError } from '../../src/main/engine/team/team-secret-box';
import { credentialsFrom, TeamSettings } from '../../src/main/engine/team/team-settings';
import type { TeamSettingsResult } from '../../src/main/engine/team/team-settings';
import { TeamState } from '../../src/main/engine/team/team-state';
import { TeamStateFollower } from '../../src/main/engine/team/team-state-follower';
import { onDatabase, pgAvailable } from '../helpers/pg-cluster';
import { asRole, documentedGrants } from '../helpers/team-roles';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

const API_KEY = 'icims-api-key-team-0123456789abcdef';
const newTeamKey = (): Buffer => parseTeamKey(randomBytes(32).toString('base64')) as Buffer;

/** Everything PostgreSQL holds that a dump would show: the settings, the sealed secrets, the team state. */
async function rawRows(db: TeamDatabase): Promise<string> {
  const rows = [
    ...(await db.query('SELECT * FROM settings')),
    ...(await db.query('SELECT * FROM team_secrets')),
    ...(await db.query('SELECT * FROM team_state')),
  ];
  return JSON.stringify(rows);
}

/** The GRANTs of docs/TEAM_MODE.md, Roles, as an admin runs them on an existing database. */
async function grantDocumentedRoles(url: string): Promise<void> {
  await onDatabase(url, (admin) => admin.query(documentedGrants()));
}

describe.skipIf(!pgAvailable)('team settings (real PostgreSQL, two consoles with their own SQLite)', () => {
  const cluster = usePgCluster();

  /**
   * One console of the team: its own data folder, SQLite settings (secrets under its own file key),
   * tokens, the configuration it runs with, and its connection to the team database.
   */
  async function console_(
    url: string,
    name: string,
    teamKey: Buffer | null,
    env: Record<string, string> = {},
    /** The database role it connects as (docs/TEAM_MODE.md, Roles); the cluster's superuser if none. */
    role?: string,
  ) {
    const dir = mkdtempSync(join(tmpdir(), `team-settings-${name}-`));
    const sqlite = openDatabase(join(dir, 'console.db'));
    const settings = new SettingsService(sqlite, new FileKeySecretStore(dir), env, silentLogger);
    const live = new LiveConfig(settings.resolve());
    const tokens = new ConsoleTokens(dir, {
      api: env.CONSOLE_API_TOKEN ?? null,
      ingest: env.CONSOLE_INGEST_TOKEN ?? null,
    });
    const db = await connectTeam(role ? asRole(url, role) : url);
    const state = new TeamState(db);
    const team = new TeamSettings({
      db,
      state,
      settings,
      teamKey,
      node: name,
      current: () => live.current(),
      logger: silentLogger,
    });
    onTestFinished(() => {
      team.stop();
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const apply = (result: TeamSettingsResult): TeamSettingsResult => {
      if (result.changed) live.apply(result.config, result.credentialsChanged);
      return result;
    };
    return {
      dir,
      settings,
      live,
      tokens,
      db,
      state,
      team,
      /** What the saveSettings handler does in team mode. */
      async save(input: SaveSettingsInput, by = `admin@${name}`) {
        team.assertSecretsShareable(input.secrets);
        const change = settings.save({ values: input.values ?? {}, secrets: input.secrets ?? {} }, live.current());
        live.apply(change.config, change.credentialsChanged);
        return apply(await team.push(by));
      },
      saveLocally(input: SaveSettingsInput) {
        const change = settings.save({ values: input.values ?? {}, secrets: input.secrets ?? {} }, live.current());
        live.apply(change.config, change.credentialsChanged);
      },
      pull: async () => apply(await team.pull()),
      join: async () => apply(await team.join()),
    };
  }

  it('a rate limit and an API key saved on console A reach console B; the database holds only ciphertext', async () => {
    const url = await freshTeamDatabase(cluster());
    const key = newTeamKey();
    const a = await console_(url, 'a', key);
    const b = await console_(url, 'b', key, {});
    await a.join();
    await b.join();
    b.saveLocally({ values: { displayTimeZone: 'Asia/Kolkata' } });

    const follower = new TeamStateFollower(b.db, b.state, 3_600_000);
    await follower.start();
    onTestFinished(() => follower.stop());
    const bumped = new Promise<number>((resolve) =>
      follower.on('change', (s) => {
        if (s.settingsVersion > b.team.version) resolve(s.settingsVersion);
      }),
    );

    const pushed = await a.save({
      values: { rateLimitPerMin: 42, timezone: 'Europe/Berlin', displayTimeZone: 'America/New_York' },
      secrets: { apiKey: API_KEY },
    });
    // B learns of it through NOTIFY (its polling is off), then pulls.
    expect(await bumped).toBe(pushed.version);
    const pulled = await b.pull();
    expect(pulled).toMatchObject({ changed: true, credentialsChanged: true, version: pushed.version });

    const config = b.settings.resolve();
    expect(config.icims.rateLimitPerMin).toBe(42);
    expect(config.icims.auth).toMatchObject({ method: 'apiKey' });
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe(API_KEY);
    expect(b.live.current().icims.rateLimitPerMin).toBe(42);
    // The note time zone is the team's; the display time zone stays each console's own.
    expect(b.settings.consoleValues()).toMatchObject({ timezone: 'Europe/Berlin', displayTimeZone: 'Asia/Kolkata' });
    expect(a.settings.consoleValues().displayTimeZone).toBe('America/New_York');

    // A dump of the database shows the secret's row, but never the secret.
    const raw = await rawRows(a.db);
    expect(raw).toContain('icims.apiKey');
    expect(raw).not.toContain(API_KEY);
    expect(raw).not.toContain(Buffer.from(API_KEY).toString('base64'));
    expect(raw).not.toContain('America/New_York');
    // Nor does B's own SQLite hold it in plain text.
    expect(readFileSync(join(b.dir, 'console.db')).includes(API_KEY)).toBe(false);

    // Nothing new: a second pull changes nothing.
    expect((await b.pull()).changed).toBe(false);
    expect(b.team.credentialsFrom({})).toBe('team');
  });

  it('a console with another team key gets a clear TeamKeyError, and nothing of its own is overwritten', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await console_(url, 'a', newTeamKey());
    const b = await console_(url, 'b', newTeamKey());
    await a.join();
    await a.save({ values: { rateLimitPerMin: 42 }, secrets: { apiKey: API_KEY } });

    b.saveLocally({ values: { rateLimitPerMin: 77 }, secrets: { apiKey: 'b-own-api-key-0123456789' } });
    const refused = b.pull();
    await expect(refused).rejects.toThrow(TeamKeyError);
    await expect(refused).rejects.toThrow(
      'the team secret "icims.apiKey" was sealed with another SYNC_TEAM_KEY: every engine and console of a team needs the same key',
    );
    await expect(b.join()).rejects.toThrow(TeamKeyError);

    const config = b.settings.resolve();
    expect(config.icims.rateLimitPerMin).toBe(77);
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe(
      'b-own-api-key-0123456789',
    );
    expect(b.team.version).toBe(0);
  });

  it('without a team key secrets are never written and a save of one is refused; values are still shared', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await console_(url, 'a', null);
    const b = await console_(url, 'b', null, { ICIMS_API_KEY: 'b-environment-key-0123456789' });
    await a.join();
    await b.join();

    expect(a.team.sharesSecrets).toBe(false);
    await expect(a.save({ values: { rateLimitPerMin: 42 }, secrets: { apiKey: API_KEY } })).rejects.toThrow(
      "Team mode without SYNC_TEAM_KEY keeps iCIMS secrets out of the shared database, so this one would reach no other engine: set ICIMS_API_KEY in each engine's environment",
    );
    // Refused before anything was stored here either.
    expect(a.settings.resolve().icims.rateLimitPerMin).toBe(100);

    // Even a secret saved locally (say, before the console joined) is never written to the team.
    a.saveLocally({ values: {}, secrets: { apiKey: API_KEY } });
    await a.save({ values: { rateLimitPerMin: 42 } });
    expect(await a.db.query('SELECT name FROM team_secrets')).toEqual([]);
    expect(await rawRows(a.db)).not.toContain(API_KEY);

    await b.pull();
    const config = b.settings.resolve();
    expect(config.icims.rateLimitPerMin).toBe(42);
    // B's credential is its environment's, and it says so.
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe(
      'b-environment-key-0123456789',
    );
    expect(b.team.credentialsFrom({ ICIMS_API_KEY: 'b-environment-key-0123456789' })).toBe('environment');

    // Tokens stay each console's own.
    expect(await a.team.syncTokens(a.tokens)).toEqual({
      api: { outcome: 'per-console', message: null },
      ingest: { outcome: 'per-console', message: null },
    });
    expect(b.tokens.value('ingest')).not.toBe(a.tokens.value('ingest'));
  });

  it('credentialsFrom names the environment only for the credential of the auth method in use', () => {
    const env = { ICIMS_API_KEY: 'env-key-0123456789', ICIMS_PASSWORD: ' ' };
    expect(credentialsFrom(env, 'apiKey')).toBe('environment');
    expect(credentialsFrom(env, 'oauth')).toBe('team');
    // An empty variable counts as unset, as everywhere else.
    expect(credentialsFrom(env, 'basic')).toBe('team');
  });

  it("tokens: A publishes, B adopts, C's token from its environment wins; a rotation on A reaches B", async () => {
    const url = await freshTeamDatabase(cluster());
    const key = newTeamKey();
    const a = await console_(url, 'a', key);
    const b = await console_(url, 'b', key);
    const envIngest = 'c-ingest-token-from-environment-0123456789';
    const c = await console_(url, 'c', key, { CONSOLE_INGEST_TOKEN: envIngest });

    expect(await a.team.syncTokens(a.tokens)).toEqual({
      api: { outcome: 'published', message: null },
      ingest: { outcome: 'published', message: null },
    });
    const bOldApi = b.tokens.value('api');
    expect(await b.team.syncTokens(b.tokens)).toEqual({
      api: { outcome: 'adopted', message: null },
      ingest: { outcome: 'adopted', message: null },
    });
    expect(b.tokens.value('api')).toBe(a.tokens.value('api'));
    expect(b.tokens.value('ingest')).toBe(a.tokens.value('ingest'));
    // Kept as a rotation keeps it: in its 0600 file, the old value refused.
    const apiFile = b.tokens.file('api') as string;
    expect(readFileSync(apiFile, 'utf8').trim()).toBe(a.tokens.value('api'));
    expect(statSync(apiFile).mode & 0o777).toBe(0o600);
    expect(b.tokens.identify(bOldApi)).toBeNull();

    const cReport = await c.team.syncTokens(c.tokens);
    expect(cReport.api.outcome).toBe('adopted');
    expect(cReport.ingest).toEqual({
      outcome: 'environment',
      message:
        "CONSOLE_INGEST_TOKEN is set in this engine's environment, so it keeps its own ingest token rather than the team's",
    });
    expect(c.tokens.value('ingest')).toBe(envIngest);

    const raw = await rawRows(a.db);
    expect(raw).toContain('console.apiToken');
    expect(raw).not.toContain(a.tokens.value('api'));
    expect(raw).not.toContain(a.tokens.value('ingest'));

    // A rotation on A is published with a settings-version bump; B, following, adopts it.
    const follower = new TeamStateFollower(b.db, b.state, 3_600_000);
    await follower.start();
    onTestFinished(() => follower.stop());
    const bumped = new Promise<void>((resolve) =>
      follower.on('change', (s) => {
        if (s.settingsVersion > b.team.version) resolve();
      }),
    );
    const oldApi = a.tokens.value('api');
    const rotated = a.tokens.rotate('api');
    await bumped;
    expect((await b.pull()).changed).toBe(false);
    expect((await b.team.syncTokens(b.tokens)).api.outcome).toBe('adopted');
    expect(b.tokens.value('api')).toBe(rotated);
    expect(b.tokens.identify(oldApi)).toBeNull();
    expect(b.tokens.identify(rotated)).toBe('api');
    expect(await rawRows(a.db)).not.toContain(rotated);
  });

  it("a pull never clobbers a local save waiting to be pushed, and a stale console's save keeps the team's other changes", async () => {
    const url = await freshTeamDatabase(cluster());
    const key = newTeamKey();
    const a = await console_(url, 'a', key);
    const b = await console_(url, 'b', key);
    await a.join();
    await b.join();

    // B saves a timeout; A has not pulled it yet when its admin saves a rate limit.
    await b.save({ values: { timeoutMs: 20_000 } });
    a.saveLocally({ values: { rateLimitPerMin: 55 } });
    // A's follower asks for a pull while the push of the save is still queued behind it.
    const [pulled, pushed] = await Promise.all([a.team.pull(), a.team.push('admin@a')]);
    if (pulled.changed) a.live.apply(pulled.config, pulled.credentialsChanged);
    if (pushed.changed) a.live.apply(pushed.config, pushed.credentialsChanged);

    for (const side of [a, b]) await side.pull();
    for (const side of [a, b]) {
      const config = side.settings.resolve();
      expect(config.icims.rateLimitPerMin).toBe(55);
      expect(config.icims.timeoutMs).toBe(20_000);
    }
    expect(a.live.current().icims.timeoutMs).toBe(20_000);
    const [row] = await a.db.query<{ value: string }>("SELECT value FROM settings WHERE key = 'settings.values'");
    expect(JSON.parse(row?.value ?? '{}')).toMatchObject({ rateLimitPerMin: 55, timeoutMs: 20_000 });

    // An older version is never applied over a newer one.
    const version = a.team.version;
    expect((await a.pull()).version).toBe(version);
  });

  it('a save made while a pull or a push is talking to the database survives, and so do the team changes', async () => {
    const url = await freshTeamDatabase(cluster());
    const key = newTeamKey();
    const a = await console_(url, 'a', key);
    const b = await console_(url, 'b', key);
    await a.join();
    await b.join();
    await b.save({ values: { timeoutMs: 20_000 } });

    // The pull has started (it waits on the database) when A's admin saves.
    const pulling = a.pull();
    await new Promise((resolve) => setImmediate(resolve));
    const first = a.save({ values: { rateLimitPerMin: 55 } });
    // And another save lands while that push is under way.
    await new Promise((resolve) => setImmediate(resolve));
    const second = a.save({ values: { maxConcurrency: 3 } });
    await Promise.all([pulling, first, second]);

    await b.pull();
    for (const side of [a, b]) {
      expect(side.settings.resolve().icims).toMatchObject({
        rateLimitPerMin: 55,
        maxConcurrency: 3,
        timeoutMs: 20_000,
      });
    }
    expect(a.live.current().icims).toMatchObject({ rateLimitPerMin: 55, maxConcurrency: 3, timeoutMs: 20_000 });
  });

  it("a viewer's console takes the team's values but keeps its own secrets and tokens; joining an empty team it keeps its own settings", async () => {
    const url = await freshTeamDatabase(cluster());
    await grantDocumentedRoles(url);
    const key = newTeamKey();
    const viewer = await console_(url, 'viewer', key, {}, 'sync_viewer');
    viewer.saveLocally({ values: { rateLimitPerMin: 60 }, secrets: { apiKey: 'viewer-own-key-0123456789' } });
    expect((await viewer.join()).changed).toBe(false);
    expect(viewer.settings.resolve().icims.rateLimitPerMin).toBe(60);

    const a = await console_(url, 'a', key, {}, 'sync_engine');
    await a.join();
    await a.save({ values: { rateLimitPerMin: 42 }, secrets: { apiKey: API_KEY } });
    await a.team.syncTokens(a.tokens);

    expect((await viewer.pull()).changed).toBe(true);
    const config = viewer.settings.resolve();
    expect(config.icims.rateLimitPerMin).toBe(42);
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe(
      'viewer-own-key-0123456789',
    );
    expect((await viewer.team.syncTokens(viewer.tokens)).api.outcome).toBe('per-console');
    expect(viewer.tokens.value('api')).not.toBe(a.tokens.value('api'));
  });

  it('the first console publishes its settings; a console joining later takes them in place of its own', async () => {
    const url = await freshTeamDatabase(cluster());
    const key = newTeamKey();
    const a = await console_(url, 'a', key);
    a.saveLocally({ values: { rateLimitPerMin: 30 }, secrets: { apiKey: API_KEY } });
    const b = await console_(url, 'b', key);
    b.saveLocally({ values: { rateLimitPerMin: 90, simulateTraffic: false } });

    expect((await a.join()).changed).toBe(false);
    const joined = await b.join();
    expect(joined.changed).toBe(true);
    const config = b.settings.resolve();
    expect(config.icims.rateLimitPerMin).toBe(30);
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe(API_KEY);
    expect(b.settings.consoleValues().simulateTraffic).toBe(false);
  });
});
