import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TeamRateLimiter } from '../../src/main/engine/team/team-rate-limiter';
import type { TeamRateLimiterOptions } from '../../src/main/engine/team/team-rate-limiter';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

/** The largest number of grants inside any stretch of `span` ms (grants sorted ascending). */
function busiestStretch(grants: number[], span: number): number {
  let busiest = 0;
  let start = 0;
  for (let end = 0; end < grants.length; end++) {
    while ((grants[end] as number) - (grants[start] as number) >= span) start++;
    busiest = Math.max(busiest, end - start + 1);
  }
  return busiest;
}

describe.skipIf(!pgAvailable)('team rate limiter (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('several engines hammering it together never exceed the limit in any rolling window of database time', async () => {
    const url = await freshTeamDatabase(cluster());
    const limit = 4;
    const windowMs = 300;
    const engines = 5;
    const options = (node: string): TeamRateLimiterOptions => ({
      node,
      perMinute: limit,
      dailyLimit: 100_000,
      windowMs,
      headroomMs: 20,
    });
    const limiters = await Promise.all(
      Array.from(
        { length: engines },
        async (_, i) => new TeamRateLimiter(await connectTeam(url), options(`engine-${i}`)),
      ),
    );

    // Each engine asks until the team has been granted enough calls to fill several windows;
    // a refused engine asks again when told to, as the worker will.
    const grants: number[] = [];
    let refusals = 0;
    const target = limit * 4;
    await Promise.all(
      limiters.map(async (limiter) => {
        while (grants.length < target) {
          const answer = await limiter.reserve();
          if (answer.ok) grants.push(answer.at);
          else {
            refusals++;
            expect(answer.reason).toBe('rate');
            expect(answer.retryAfterMs).toBeGreaterThan(0);
            expect(answer.retryAfterMs).toBeLessThanOrEqual(windowMs + 20);
            await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs));
          }
        }
      }),
    );

    grants.sort((a, b) => a - b);
    expect(grants.length).toBeGreaterThanOrEqual(target);
    expect(refusals).toBeGreaterThan(0);
    // The promise: no rolling window (plus headroom) on the database clock holds more than the limit.
    expect(busiestStretch(grants, windowMs + 20)).toBe(limit);

    const perNode = await limiters[0]!.callsLastMinute();
    expect([...perNode.values()].reduce((a, b) => a + b, 0)).toBe(grants.length);
  });

  it('engine processes of their own together never exceed the limit in any rolling window', async () => {
    const url = await freshTeamDatabase(cluster());
    const limit = 3;
    const windowMs = 400;
    const headroomMs = 20;
    const target = limit * 4;
    const script = join(__dirname, 'processes', 'rate-limiter-engine.ts');
    const tsx = join(__dirname, '../../node_modules/.bin/tsx');
    const run = promisify(execFile);
    const outputs = await Promise.all(
      ['p1', 'p2', 'p3'].map((node) =>
        run(tsx, [script, JSON.stringify({ url, node, perMinute: limit, windowMs, headroomMs, target, engines: 3 })], {
          timeout: 60_000,
        }),
      ),
    );
    const perProcess = outputs.map(({ stdout }) => JSON.parse(stdout) as number[]);
    // All three asked at once (they start together), so more than one of them was served.
    expect(perProcess.filter((grants) => grants.length > 0).length).toBeGreaterThan(1);
    const grants = perProcess.flat().sort((a, b) => a - b);
    expect(grants.length).toBeGreaterThanOrEqual(target);
    expect(busiestStretch(grants, windowMs + headroomMs)).toBe(limit);
  }, 120_000);

  it('stops at the daily budget until the next UTC day, for every engine', async () => {
    const url = await freshTeamDatabase(cluster());
    const options = { perMinute: 1000, dailyLimit: 3 };
    const a = new TeamRateLimiter(await connectTeam(url), { ...options, node: 'a' });
    const b = new TeamRateLimiter(await connectTeam(url), { ...options, node: 'b' });
    expect((await a.reserve()).ok).toBe(true);
    expect((await b.reserve()).ok).toBe(true);
    expect((await a.reserve()).ok).toBe(true);
    const refused = await b.reserve();
    expect(refused).toMatchObject({ ok: false, reason: 'daily' });
    const untilMidnight = 86_400_000 - (Date.now() % 86_400_000);
    if (!refused.ok) expect(Math.abs(refused.retryAfterMs - untilMidnight)).toBeLessThan(120_000);
    expect(await a.dailyUsed()).toBe(3);
  });

  it('names a bad limit', () => {
    expect(() => new TeamRateLimiter({} as never, { node: 'x', perMinute: 0, dailyLimit: 10 })).toThrow(
      'rate limit must be a positive whole number of calls (got 0)',
    );
  });
});
