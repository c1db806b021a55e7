import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/main/server/local-server';
import type { LocalServer } from '../../src/main/server/local-server';
import { makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { mintCode, signIn } from './security-harness';

/*
 * The guards that held when the console was attacked from the same machine; these tests keep
 * them holding.
 */
let harness: ConsoleHarness;
let withUi: LocalServer;
let staticDir: string;
beforeAll(async () => {
  harness = await startConsole();
  staticDir = mkdtempSync(join(tmpdir(), 'ui-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  withUi = await startLocalServer({ engine: harness.engine, staticDir, logger: { log: () => {} } });
});
afterAll(async () => {
  await withUi?.close();
  await harness?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('bearer checks', () => {
  it('a missing, wrong, prefixed or suffixed token is 401 on every protected route', async () => {
    const token = harness.engine.apiToken;
    for (const given of [null, '', 'wrong', `${token}x`, token.slice(0, -1), ` ${token.toUpperCase()}`]) {
      expect((await harness.api('GET', '/api/jobs', { token: given })).status, String(given)).toBe(401);
      expect((await harness.api('POST', '/api/events', { body: makeEvent('booked'), token: given })).status).toBe(401);
    }
  });
});

describe('Host guard (DNS rebinding)', () => {
  it('a request naming another host is refused with 403', async () => {
    for (const host of ['evil.example', `evil.example:${new URL(harness.url).port}`, '127.0.0.2']) {
      const res = await request(`${harness.url}/api/ops/icims`, { headers: { host } });
      await res.body.text();
      expect(res.statusCode, host).toBe(403);
    }
  });
});

describe('one-time sign-in code', () => {
  it('works once; an unknown code never works', async () => {
    const code = await mintCode(harness);
    expect((await signIn(harness, { code })).status).toBe(201);
    expect((await signIn(harness, { code })).status).toBe(401);
    expect((await signIn(harness, { code: 'made-up-code' })).status).toBe(401);
  });
});

describe('body limits', () => {
  it('a body over 1 MiB is answered 413 and nothing is stored', async () => {
    const res = await harness.api('POST', '/api/events', {
      raw: Buffer.alloc(1024 * 1024 + 1, 0x20),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
  });
});

describe('path traversal', () => {
  it.each(['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd'])(
    '%s is not served',
    async (path) => {
      const res = await request(`${withUi.url}${path}`);
      const text = await res.body.text();
      expect([400, 404]).toContain(res.statusCode);
      expect(text).not.toMatch(/root:/);
    },
  );
});

describe('parameterised SQL', () => {
  it('an event id shaped like SQL is stored as data; the queue is intact', async () => {
    const eventId = "evt-'); DROP TABLE sync_jobs; --";
    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked', { eventId }) });
    expect(posted.status).toBe(202);
    const res = await harness.api('GET', '/api/jobs?limit=500');
    expect(res.status).toBe(200);
    expect(res.body.jobs.map((job: { eventId: string }) => job.eventId)).toContain(eventId);
    // A query-string value of the same shape is refused by validation, never spliced into SQL.
    const query = await harness.api('GET', `/api/jobs?applicationId=${encodeURIComponent("x' OR '1'='1")}`);
    expect(query.status).toBe(400);
  });
});
