import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/main/server/local-server';
import { makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { rpc, signIn } from './security-harness';

/*
 * Attack 3: the token given to the scheduling system could change settings, test connections
 * and mint sign-in links; the desktop app served /rpc over HTTP although its window talks IPC.
 */
let harness: ConsoleHarness;
let ingest: string;
beforeAll(async () => {
  harness = await startConsole();
  ingest = harness.engine.tokens.value('ingest');
});
afterAll(async () => {
  await harness?.close();
});

describe('the ingest token can only post events', () => {
  it('posts events (202)', async () => {
    const res = await harness.api('POST', '/api/events', { body: makeEvent('booked'), token: ingest });
    expect(res.status).toBe(202);
  });

  it('gets 403 on every admin route of the local API and cannot mint sign-in links', async () => {
    for (const [method, path] of [
      ['GET', '/api/jobs'],
      ['POST', '/api/jobs/1/retry'],
      ['POST', '/api/jobs/1/cancel'],
      ['POST', '/api/session-links'],
    ] as const) {
      const res = await harness.api(method, path, { token: ingest });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.message).toMatch(/ingest token may only POST \/api\/events/);
    }
  });

  it('cannot call any console method (settings, test connection, token reveal) nor sign a browser in', async () => {
    for (const method of ['saveSettings', 'testConnection', 'getSettings', 'revealConsoleToken', 'retryAllFailed']) {
      const input = method === 'revealConsoleToken' ? { kind: 'api' } : {};
      expect((await rpc(harness, method, input, { token: ingest })).status, method).toBe(403);
    }
    const signedIn = await signIn(harness, { apiToken: ingest });
    expect(signedIn.status).toBe(403);
    expect(signedIn.body.message).toMatch(/ingest token/);
  });

  it('sees the ops route as no token sees it (no errors, no application ids)', async () => {
    const open = await harness.api('GET', '/api/ops/icims', { token: ingest });
    const none = await harness.api('GET', '/api/ops/icims', { token: null });
    expect(Object.keys(open.body).sort()).toEqual(Object.keys(none.body).sort());
    expect(open.body.recentFailures.every((f: object) => !('applicationId' in f) && !('error' in f))).toBe(true);
  });
});

describe('rotation', () => {
  it('a rotated token is refused at once, the new one works; the other token is untouched', async () => {
    const before = harness.engine.tokens.value('ingest');
    const rotated = await rpc(harness, 'rotateConsoleToken', { kind: 'ingest' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(before);
    expect(rotated.body.token.length).toBeGreaterThanOrEqual(32);
    expect((await harness.api('POST', '/api/events', { body: makeEvent('booked'), token: before })).status).toBe(401);
    expect(
      (await harness.api('POST', '/api/events', { body: makeEvent('booked'), token: rotated.body.token })).status,
    ).toBe(202);
    expect((await harness.api('GET', '/api/jobs')).status).toBe(200);

    const revealed = await rpc(harness, 'revealConsoleToken', { kind: 'ingest' });
    expect(revealed.body).toEqual({ kind: 'ingest', token: rotated.body.token, source: 'generated' });
  });

  it('a token set by environment cannot be rotated here, and says where to change it', async () => {
    const res = await rpc(harness, 'rotateConsoleToken', { kind: 'api' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/set by environment \(CONSOLE_API_TOKEN\)/);
  });
});

describe('the desktop app serves no /rpc over HTTP', () => {
  it('with the console transport off, /rpc and sign-in do not exist; events still post', async () => {
    const desktop = await startLocalServer({
      engine: harness.engine,
      staticDir: null,
      logger: { log: () => {} },
      consoleTransport: false,
    });
    try {
      const auth = { authorization: `Bearer ${harness.engine.apiToken}`, 'content-type': 'application/json' };
      for (const path of ['/rpc/getSettings', '/auth/sign-in', '/api/session-links']) {
        const res = await request(`${desktop.url}${path}`, { method: 'POST', headers: auth, body: '{}' });
        await res.body.text();
        expect(res.statusCode, path).toBe(404);
      }
      const posted = await request(`${desktop.url}/api/events`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(makeEvent('booked')),
      });
      await posted.body.text();
      expect(posted.statusCode).toBe(202);
    } finally {
      await desktop.close();
    }
  });
});
