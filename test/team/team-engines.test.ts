import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims } from '../fakes/fake-icims';
import { makeEvent, TEST_API_KEY, TEST_CONSOLE_TOKEN, testEnv, waitFor } from '../helpers/console-harness';
import { startHeadless } from '../helpers/headless-process';
import type { HeadlessProcess } from '../helpers/headless-process';
import { pgAvailable } from '../helpers/pg-cluster';
import { usePgCluster } from '../helpers/use-pg-cluster';

/**
 * Team mode end to end: real engine processes (`npm run headless` through tsx), one PostgreSQL
 * cluster, the fake iCIMS enforcing the account's rate limit itself and storing every POST (it
 * does not drop a repeated Idempotency-Key, so only our read-back can prevent a second note).
 */

const LIMIT = 400;
const EVENTS = 600;

async function post(url: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await request(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${TEST_CONSOLE_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as unknown) : null };
}

/** The most calls the fake saw in any 60 s that starts at one of them. */
function busiestMinute(fake: FakeIcims): number {
  const times = fake.calls.map((call) => call.time).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= 60_000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe.skipIf(!pgAvailable)('team mode: engine processes share one queue on PostgreSQL', () => {
  const cluster = usePgCluster();

  it(`3 engines, ${EVENTS} events, one SIGKILLed mid-run: ${EVENTS} notes, none twice, no 429, never over the limit`, async () => {
    const databaseUrl = await cluster().createDatabase();
    const fake = await startFakeIcims({
      auth: { mode: 'apiKey', apiKey: TEST_API_KEY },
      rateLimit: { perMinute: LIMIT, burst: LIMIT },
      dedupe: false,
      latencyMs: { min: 5, max: 40 },
    });
    const dirs: string[] = [];
    const engines: HeadlessProcess[] = [];
    try {
      for (const name of ['engine-a', 'engine-b', 'engine-c']) {
        const dir = mkdtempSync(join(tmpdir(), `team-${name}-`));
        dirs.push(dir);
        engines.push(
          startHeadless(
            {
              ...testEnv(fake),
              ICIMS_RATE_LIMIT_PER_MIN: String(LIMIT),
              ICIMS_MAX_CONCURRENCY: '4',
              SYNC_LEASE_MS: '3000',
              SYNC_DATABASE_URL: databaseUrl,
              SYNC_NODE_NAME: name,
              CONSOLE_DATA_DIR: dir,
            },
            dir,
          ),
        );
      }
      const urls = await Promise.all(engines.map((engine) => engine.url(60_000)));

      // The scheduling system posts to whichever engine it reaches: spread over all three.
      const events = Array.from({ length: EVENTS }, (_, i) =>
        makeEvent('booked', {
          applicationId: `APP-${1000 + (i % 150)}`,
          occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        }),
      );
      for (let i = 0; i < EVENTS; i += 100) {
        const answer = await post(urls[(i / 100) % 3]!, '/api/events', events.slice(i, i + 100));
        expect(answer.status).toBe(202);
      }

      // Mid-run, as the team is busy: kill one engine with its calls in flight.
      await waitFor(() => fake.notes.length >= EVENTS / 3, { timeoutMs: 60_000, what: 'a third of the notes' });
      engines[1]!.child.kill('SIGKILL');
      await engines[1]!.exited;

      const { body } = await waitFor(
        async () => {
          const answer = await post(urls[0]!, '/api/ops/icims');
          const jobs = (answer.body as { syncJobs: { pending: number; processing: number } }).syncJobs;
          return jobs.pending === 0 && jobs.processing === 0 ? answer : null;
        },
        { timeoutMs: 180_000, intervalMs: 500, what: 'the queue to drain' },
      );
      const snapshot = body as { syncJobs: { completedLast24h: number }; nodes: { name: string; state: string }[] };
      expect(snapshot.syncJobs.completedLast24h).toBe(EVENTS);
      expect(snapshot.nodes.map((node) => node.name).sort()).toEqual(['engine-a', 'engine-b', 'engine-c']);

      const keys = fake.notes.map((note) => note.idempotencyKey);
      expect(fake.notes).toHaveLength(EVENTS);
      expect(new Set(keys).size).toBe(EVENTS);
      expect(fake.calls.filter((call) => call.status === 429)).toHaveLength(0);
      expect(busiestMinute(fake)).toBeLessThanOrEqual(LIMIT);
    } finally {
      for (const engine of engines) engine.child.kill('SIGTERM');
      await Promise.all(engines.map((engine) => engine.exited));
      await fake.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
