import { apiCall } from '../fixtures/api-call';
import { describe, expect, it } from 'vitest';
import { ApiCallRepository } from '../../src/main/engine/ops/api-call-repository';
import type { ApiCallInput } from '../../src/main/engine/ops/api-call-repository';
import { quantile } from '../../src/main/engine/ops/latency-histogram';
import { TeamCallLog } from '../../src/main/engine/team/team-call-log';
import { CapturingLogger } from '../fakes/recording-sink';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { openTempDb } from '../helpers/temp-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

/**
 * The team's call log (team/team-call-log.ts) against real PostgreSQL: engines writing into the
 * same minutes at once lose nothing, the figures equal what the SQLite call log shows for the
 * same calls, and calls made while the database is away are written when it is back.
 */

const MIN = 60_000;
const NOW = Date.now();

function call(at: number, latencyMs: number, fields: Partial<ApiCallInput> = {}): ApiCallInput {
  return apiCall(at, { latencyMs, ...fields });
}

/** A mix of successes, 502s, 429s and 422s over the last 20 minutes, varied latencies. */
function someCalls(seed: number, count: number): ApiCallInput[] {
  return Array.from({ length: count }, (_, i) => {
    const at = NOW - ((i * 7919 + seed * 104_729) % (20 * MIN));
    const latencyMs = 20 + ((i * 37 + seed * 11) % 900);
    if (i % 11 === 0) return call(at, latencyMs, { outcome: 'failure', statusCode: 502, errorMessage: 'HTTP 502' });
    if (i % 13 === 0) return call(at, latencyMs, { outcome: 'failure', statusCode: 429, rateLimited: true });
    if (i % 17 === 0)
      return call(at, latencyMs, { outcome: 'failure', statusCode: 422, errorCode: 'validation', jobId: i });
    return call(at, latencyMs);
  });
}

describe.skipIf(!pgAvailable)("the team's call log (real PostgreSQL)", () => {
  const cluster = usePgCluster();

  it('two engines flushing into the same minutes at once: every call counted once, the same figures SQLite gives', async () => {
    const url = await freshTeamDatabase(cluster());
    const logger = new CapturingLogger();
    const a = new TeamCallLog(await connectTeam(url), { node: 'a', logger, flushIntervalMs: 60_000 });
    const b = new TeamCallLog(await connectTeam(url), { node: 'b', logger, flushIntervalMs: 60_000 });
    const { db } = openTempDb();
    const sqlite = new ApiCallRepository(db);

    for (let round = 0; round < 8; round++) {
      const forA = someCalls(round, 60);
      const forB = someCalls(round + 100, 45);
      for (const c of forA) a.record(c);
      for (const c of forB) b.record(c);
      for (const c of [...forA, ...forB]) sqlite.record(c);
      await Promise.all([a.flush(), b.flush()]);
    }
    expect(logger.lines.filter((line) => line.includes('team.api_calls'))).toEqual([]);

    const team = await a.read();
    const own = sqlite.read();
    const teamDay = await team.totals(NOW - 24 * 60 * MIN);
    const ownDay = own.totals(NOW - 24 * 60 * MIN);
    expect(teamDay.calls).toBe(8 * 105);
    expect(teamDay).toEqual(ownDay);
    // The histograms merged under the row locks: none of either engine's flushes overwritten.
    expect(teamDay.histogram.reduce((sum, n) => sum + n, 0)).toBe(8 * 105);
    expect(quantile(teamDay.histogram, 0.95)).toBe(quantile(ownDay.histogram, 0.95));
    // A window starting inside a minute reads that minute's raw rows, as SQLite does.
    expect(await team.totals(NOW - 7.5 * MIN)).toEqual(own.totals(NOW - 7.5 * MIN));
    expect(await team.callsSinceMinute(NOW - 10 * MIN)).toBe(own.callsSinceMinute(NOW - 10 * MIN));
    expect(await team.lastCallTimes()).toEqual(own.lastCallTimes());
    expect(await team.nthCallSince(NOW - 15 * MIN, 100)).toBe(own.nthCallSince(NOW - 15 * MIN, 100));
    expect(await team.latencySeries({ now: NOW, hours: 1 })).toEqual(own.latencySeries({ now: NOW, hours: 1 }));
    const failures = await team.recentFailures(5);
    expect(failures.map(({ node: _node, ...rest }) => rest)).toEqual(own.recentFailures(5));
    expect(failures.every((f) => f.node === 'a' || f.node === 'b')).toBe(true);
    sqlite.close();
  });

  it('calls made while the database is away are kept and written once it is back', async () => {
    const url = await freshTeamDatabase(cluster());
    const logger = new CapturingLogger();
    const log = new TeamCallLog(await connectTeam(url, { connectTimeoutMs: 1_000 }), {
      node: 'a',
      logger,
      flushIntervalMs: 60_000,
    });
    log.record(call(NOW - MIN, 100));
    await log.flush();

    await cluster().halt();
    log.record(call(NOW - 30_000, 200));
    log.record(call(NOW - 20_000, 300, { outcome: 'failure', statusCode: 503, errorMessage: 'HTTP 503' }));
    await log.flush();
    await cluster().start();
    await log.flush();

    const reads = await log.read();
    expect(await reads.totals(NOW - 5 * MIN)).toMatchObject({ calls: 3, successes: 2, failures: 1 });
    expect(logger.lines.filter((line) => line.includes('team.api_calls.flush_failed'))).toEqual([]);
  });
});
