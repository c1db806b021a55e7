import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/shared/actor';
import { SessionStore } from '../../src/main/engine/host/session-store';
import { openDatabase } from '../../src/main/engine/sync/database';
import { startLocalServer } from '../../src/main/server/local-server';
import type { LocalServer, SessionEvent } from '../../src/main/server/local-server';
import { startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { mintCode, rpc, signIn } from './security-harness';

/*
 * Attack 2: the session was a cookie, and cookies are not port-scoped: every page served by any
 * other program on 127.0.0.1 received it (and could ride on it). Sessions never ended.
 * Now the session is a token the UI keeps in its own origin's storage and sends as a header.
 */
let harness: ConsoleHarness;
let server: LocalServer;
const events: SessionEvent[] = [];
const contexts: (CallContext | undefined)[] = [];

beforeAll(async () => {
  harness = await startConsole();
  // A second server on the same engine that reports sign-ins, as the audit trail will subscribe.
  server = await startLocalServer({
    engine: harness.engine,
    staticDir: null,
    logger: { log: () => {} },
    onSessionEvent: (event) => events.push(event),
  });
  const getSettings = harness.engine.api.getSettings;
  harness.engine.api.getSettings = async (input, context) => {
    contexts.push(context);
    return getSettings(input, context);
  };
});
afterAll(async () => {
  await server?.close();
  await harness?.close();
});

const on = (h: ConsoleHarness) => ({ ...h, url: server.url }) as ConsoleHarness;

describe('the session is a header credential, not a cookie', () => {
  it('signing in sets no cookie; the token opens /rpc only when sent as Authorization', async () => {
    const signedIn = await signIn(on(harness), { code: await mintCode(on(harness)) });
    expect(signedIn.status).toBe(201);
    expect(signedIn.setCookie).toBeUndefined();
    const token = signedIn.body.token as string;

    expect((await rpc(on(harness), 'getSnapshot', {}, { token })).status).toBe(200);
    // The old cookie, carrying the same value, opens nothing: the server reads no cookie.
    const viaCookie = await rpc(
      on(harness),
      'getSnapshot',
      {},
      { token: null, headers: { cookie: `console_session=${token}` } },
    );
    expect(viaCookie.status).toBe(401);
  });

  it('a page on another loopback port is refused even if it holds the token (Origin / Sec-Fetch-Site)', async () => {
    const { body } = await signIn(on(harness), { code: await mintCode(on(harness)) });
    const token = body.token as string;
    const otherPort = new URL(server.url).port === '9' ? '10' : '9';
    for (const headers of <Record<string, string>[]>[
      { origin: `http://127.0.0.1:${otherPort}` },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await rpc(on(harness), 'getSettings', {}, { token, headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error).toBe('cross_origin');
    }
    expect((await rpc(on(harness), 'getSettings', {}, { token, headers: { origin: server.url } })).status).toBe(200);
  });
});

describe('sign-in and sign-out', () => {
  it('a sign-in link works once; the second use is refused with what to do', async () => {
    const code = await mintCode(on(harness));
    expect((await signIn(on(harness), { code })).status).toBe(201);
    const again = await signIn(on(harness), { code });
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/already used or has expired\. Sign in with the API token/);
  });

  it('the API token signs in on the sign-in page; a wrong token does not', async () => {
    expect((await signIn(on(harness), { apiToken: harness.engine.apiToken })).status).toBe(201);
    expect((await signIn(on(harness), { apiToken: 'not-the-token-0123456789-0123456789' })).status).toBe(401);
  });

  it('sign out ends the session at once and is reported with its label', async () => {
    const { body } = await signIn(on(harness), { code: await mintCode(on(harness)) });
    const token = body.token as string;
    expect(body.label).toMatch(/^Firefox on Linux, signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const out = await request(`${server.url}/auth/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    await out.body.text();
    expect((await rpc(on(harness), 'getSnapshot', {}, { token })).status).toBe(401);
    expect(events).toContainEqual(expect.objectContaining({ type: 'signed_out', label: body.label }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'signed_in', label: body.label, via: 'link' }));
    // The Activity trail says who came and went, under the session's own label.
    const audit = (await harness.api('GET', '/api/audit')).body as {
      entries: { action: string; actor: { kind: string; label: string }; detail: string | null }[];
    };
    // Newest first; earlier tests' sessions share the label (same browser, same minute).
    const mine = audit.entries.filter((entry) => entry.actor.label === body.label).slice(0, 2);
    expect(mine.map((entry) => [entry.action, entry.actor.kind, entry.detail])).toEqual([
      ['sign_out', 'session', 'session ended'],
      ['sign_in', 'session', 'with a one-time sign-in link'],
    ]);
  });

  it('the signed-in browser can read its own label and when the session ends; nobody else can', async () => {
    const { body } = await signIn(on(harness), { code: await mintCode(on(harness)) });
    const mine = await request(`${server.url}/auth/session`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(mine.statusCode).toBe(200);
    const session = (await mine.body.json()) as { label: string; expiresAt: string; absoluteExpiresAt: string };
    expect(session.label).toBe(body.label);
    expect(Date.parse(session.expiresAt)).toBeLessThanOrEqual(Date.parse(session.absoluteExpiresAt));
    const api = await request(`${server.url}/auth/session`, {
      headers: { authorization: `Bearer ${harness.engine.apiToken}` },
    });
    await api.body.text();
    expect(api.statusCode).toBe(401);
  });

  it('each call carries who made it: the session label, or "API token" for a script', async () => {
    const { body } = await signIn(on(harness), { code: await mintCode(on(harness)) });
    contexts.length = 0;
    await rpc(on(harness), 'getSettings', {}, { token: body.token as string });
    await rpc(on(harness), 'getSettings');
    expect(contexts).toEqual([
      { actor: { kind: 'session', label: body.label } },
      { actor: { kind: 'token', label: 'API token' } },
    ]);
  });

  it('sessions survive a restart of the console (they are stored, hashed, in the database)', async () => {
    const { body } = await signIn(on(harness), { code: await mintCode(on(harness)) });
    const restarted = await harness.restart();
    try {
      expect((await rpc(restarted, 'getSnapshot', {}, { token: body.token as string })).status).toBe(200);
    } finally {
      await restarted.stopConsole();
    }
    harness = await harness.restart();
  });
});

describe('session lifetimes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sessions-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a session ends after its idle time without use, and after its absolute lifetime even when used', () => {
    const db = openDatabase(join(dir, 'console.db'));
    let now = Date.UTC(2026, 0, 1);
    const store = new SessionStore(db, () => now, { idleMs: 60 * 60_000, absoluteMs: 4 * 60 * 60_000 });

    const idle = store.create('idle');
    now += 59 * 60_000;
    expect(store.use(idle.token)).not.toBeNull();
    now += 61 * 60_000;
    expect(store.use(idle.token)).toBeNull();

    const busy = store.create('busy');
    for (let hour = 0; hour < 3; hour++) {
      now += 50 * 60_000;
      expect(store.use(busy.token)).not.toBeNull();
    }
    now += 70 * 60_000; // 3 h 40 since sign-in, but only 50 minutes idle … and past 4 h after this:
    expect(store.use(busy.token)).toBeNull();
    db.close();
  });

  it('only a hash of the token is stored', () => {
    const db = openDatabase(join(dir, 'hash.db'));
    const store = new SessionStore(db, () => Date.now());
    const { token } = store.create('label');
    const rows = db.prepare('SELECT * FROM console_sessions').all();
    expect(JSON.stringify(rows)).not.toContain(token);
    db.close();
  });
});
