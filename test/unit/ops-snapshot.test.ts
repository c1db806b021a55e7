import { apiCall } from '../fixtures/api-call';
import { describe, expect, it } from 'vitest';
import { latencySeriesSchema, opsSnapshotSchema } from '../../src/shared/ops-snapshot';
import type { CircuitSnapshot, OpsSnapshot, WorkerSnapshot } from '../../src/shared/ops-snapshot';
import { ApiCallRepository } from '../../src/main/engine/ops/api-call-repository';
import type { ApiCallInput } from '../../src/main/engine/ops/api-call-repository';
import { defaultBucketMinutes } from '../../src/main/engine/ops/latency-series';
import { buildOpsSnapshot } from '../../src/main/engine/ops/snapshot';
import type { OpsSnapshotInput } from '../../src/main/engine/ops/snapshot';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import type { Database } from '../../src/main/engine/sync/database';
import { queueCounts } from '../../src/main/engine/sync/job-counts';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const NOW = Date.parse('2026-01-15T10:30:20Z');

const config: OpsSnapshot['config'] = {
  mode: 'real',
  baseUrl: 'https://api.icims.com',
  hasApiKey: true,
  authMethod: 'apiKey',
  apiStyle: 'applications',
};
const circuit: CircuitSnapshot = {
  state: 'closed',
  consecutiveFailures: 0,
  threshold: 5,
  openedAt: null,
  nextProbeAt: null,
};
const worker: WorkerSnapshot = {
  state: 'running',
  pausedReason: null,
  pausedAt: null,
  rateLimitedUntil: null,
  holdReason: null,
  inFlight: 1,
};
const input: OpsSnapshotInput = { now: NOW, config, circuit, worker, dailyBudget: { limit: 10 } };

function ok(at: number, latencyMs: number): ApiCallInput {
  return apiCall(at, { latencyMs });
}
function bad(
  at: number,
  latencyMs: number,
  statusCode: number | null,
  errorCode: string,
  jobId: number | null = null,
): ApiCallInput {
  return {
    at,
    operation: 'addApplicationNote',
    statusCode,
    outcome: 'failure',
    latencyMs,
    rateLimited: statusCode === 429,
    errorCode,
    errorMessage: `${errorCode} (${statusCode ?? 'no status'})`,
    applicationId: 'APP-1',
    jobId,
  };
}

/** The known set of calls every number below is checked against. */
function recordCalls(db: Database): ApiCallRepository {
  const repo = new ApiCallRepository(db, { flushIntervalMs: 60_000 });
  repo.record(ok(NOW - 30 * HOUR, 100)); // outside 24 h
  repo.record(bad(NOW - 24 * HOUR - 1, 100, 500, 'server')); // 1 ms outside 24 h
  repo.record(ok(NOW - 24 * HOUR, 300)); // exactly at the boundary: inside
  repo.record(ok(NOW - 2 * HOUR, 100));
  repo.record(ok(NOW - 2 * HOUR + SEC, 200));
  repo.record(ok(NOW - 2 * HOUR + 2 * SEC, 300));
  repo.record(bad(NOW - 2 * HOUR + 3 * SEC, 1000, 503, 'server'));
  repo.record(bad(NOW - 2 * HOUR + 4 * SEC, 50, 404, 'not_found', 7));
  repo.record(bad(NOW - 10 * MIN, 20, 429, 'rate_limited'));
  repo.record(ok(NOW - MIN, 150));
  repo.record(bad(NOW - 30 * SEC, 15_000, null, 'timeout', 9));
  return repo;
}

function addJobs(db: Database): void {
  const jobs = Array.from({ length: 7 }, (_, i) => newJob(i, { runAfter: NOW - 3 * 24 * HOUR + i }));
  enqueueJobs(db, jobs, NOW - 3 * 24 * HOUR);
  const next = (at: number) => claimJobs(db, { owner: 'w', leaseMs: HOUR, now: at, limit: 1 })[0]!.id;
  completeJob(db, { jobId: next(NOW - 25 * HOUR), owner: 'w', now: NOW - 25 * HOUR }); // evt-0: too old
  completeJob(db, { jobId: next(NOW - HOUR), owner: 'w', now: NOW - HOUR }); // evt-1
  failJob(db, {
    jobId: next(NOW - 2 * 24 * HOUR),
    owner: 'w',
    now: NOW - 2 * 24 * HOUR,
    verdict: { kind: 'permanent' },
    error: '404',
    backoffMs: [MIN],
  }); // evt-2
  failJob(db, {
    jobId: next(NOW - 3 * HOUR),
    owner: 'w',
    now: NOW - 3 * HOUR,
    verdict: { kind: 'permanent' },
    error: '400',
    backoffMs: [MIN],
  }); // evt-3
  next(NOW - MIN); // evt-4 processing; evt-5 and evt-6 stay pending
}

describe('ops snapshot', () => {
  it('reports exactly the recorded calls and jobs, in the contract shape', async () => {
    const { db } = openTempDb();
    const repo = recordCalls(db);
    addJobs(db);
    const snapshot = opsSnapshotSchema.parse(await buildOpsSnapshot(queueCounts(db, NOW), repo, input));

    expect(snapshot.lastSuccessfulCall).toBe(new Date(NOW - MIN).toISOString());
    expect(snapshot.lastFailedCall).toBe(new Date(NOW - 30 * SEC).toISOString());
    const { p95ResponseTimeMs, ...metrics } = snapshot.metricsLast24h;
    expect(metrics).toEqual({
      totalCalls: 9,
      successfulCalls: 5,
      failedCalls: 4,
      // (300 + 100 + 200 + 300 + 1000 + 50 + 20 + 150 + 15000) / 9 = 1902.2
      avgResponseTimeMs: 1902,
      rateLimitHits: 1,
      // None of them was a read-back of an in-doubt write.
      readBackCalls: 0,
      // One definition of the success rate for every window: the 404 (a data error) and the 429
      // are left out, the 503 and the timeout count: 5 of 7.
      successRate: 5 / 7,
      healthFailures: 2,
      dataErrors: 1,
    });
    // p95 of 9 calls is the slowest (15 s), estimated within 10 %.
    expect(Math.abs(p95ResponseTimeMs - 15_000)).toBeLessThanOrEqual(1_500);
    expect(snapshot.syncJobs).toEqual({
      pending: 2,
      processing: 1,
      completedLast24h: 1,
      failedLast24h: 1,
      failed: 2,
      inDoubt: 0,
      held: 0,
    });
    expect(snapshot.config).toEqual(config);
    expect(snapshot.worker).toEqual(worker);
    expect(snapshot.circuit).toEqual(circuit);

    // The last 15 minutes: a 429, a success and a timeout. Too few calls to judge the success
    // rate, but the rate-limit hit degrades the status.
    expect(snapshot.recent).toEqual({
      windowMinutes: 15,
      calls: 3,
      successRate: 0.5,
      rateLimitHits: 1,
      healthFailures: 1,
      dataErrors: 0,
    });
    // Today (UTC) 8 calls were made; 8 of 10 is the 80 % line.
    expect(snapshot.dailyBudget).toEqual({ limit: 10, used: 8, usedRatio: 0.8, resetsAt: '2026-01-16T00:00:00.000Z' });
    expect(snapshot.status).toBe('degraded');
    expect(snapshot.statusReasons).toHaveLength(2);
    expect(snapshot.alerts.map((a) => [a.id, a.severity, a.since])).toEqual([
      ['daily_budget', 'warning', new Date(NOW - 30 * SEC).toISOString()], // the 8th call of the day crossed 80 %
      ['rate_limit_hit', 'info', new Date(NOW - 10 * MIN).toISOString()],
    ]);
    expect(snapshot.recentFailures.map((f) => [f.statusCode, f.jobId])).toEqual([
      [null, 9],
      [429, null],
      [404, 7],
      [503, null],
      [500, null],
    ]);
    expect(snapshot.generatedAt).toBe(new Date(NOW).toISOString());
    repo.close();
  });

  it('has the contract keys with zeros, nulls and "healthy" before any call was made', async () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db);
    const snapshot = opsSnapshotSchema.parse(
      await buildOpsSnapshot(queueCounts(db, NOW), repo, { ...input, dailyBudget: { limit: 10_000 } }),
    );
    expect(snapshot).toMatchObject({
      status: 'healthy',
      lastSuccessfulCall: null,
      lastFailedCall: null,
      metricsLast24h: {
        totalCalls: 0,
        successfulCalls: 0,
        failedCalls: 0,
        avgResponseTimeMs: 0,
        rateLimitHits: 0,
        p95ResponseTimeMs: 0,
      },
      syncJobs: { pending: 0, processing: 0, completedLast24h: 0, failedLast24h: 0, failed: 0, held: 0 },
      statusReasons: [],
      alerts: [],
      recent: { windowMinutes: 15, calls: 0, successRate: null, rateLimitHits: 0 },
      recentFailures: [],
    });
    expect(Object.keys(snapshot).slice(0, 7)).toEqual([
      'status',
      'lastSuccessfulCall',
      'lastFailedCall',
      'metricsLast24h',
      'syncJobs',
      'config',
      'statusReasons',
    ]);
  });

  it('is down when the credentials were refused, the circuit is open, or most recent calls failed', async () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db);
    expect(
      (
        await buildOpsSnapshot(queueCounts(db, NOW), repo, {
          ...input,
          authFailure: { since: NOW - MIN, message: 'HTTP 401' },
        })
      ).status,
    ).toBe('down');
    const open: CircuitSnapshot = {
      ...circuit,
      state: 'open',
      consecutiveFailures: 5,
      openedAt: new Date(NOW).toISOString(),
      nextProbeAt: null,
    };
    const down = await buildOpsSnapshot(queueCounts(db, NOW), repo, { ...input, circuit: open });
    expect(down.status).toBe('down');
    expect(down.alerts.map((a) => a.id)).toEqual(['circuit_open']);

    for (let i = 0; i < 4; i++) repo.record(ok(NOW - i * SEC, 100));
    for (let i = 0; i < 2; i++) repo.record(bad(NOW - 5 * MIN, 100, 502, 'server'));
    // 4 of 6 = 66.7 %: below 80 %.
    const low = await buildOpsSnapshot(queueCounts(db, NOW), repo, { ...input, dailyBudget: { limit: 10_000 } });
    expect(low.status).toBe('down');
    expect(low.recent.successRate).toBeCloseTo(4 / 6);
    expect(low.alerts.map((a) => a.id)).toEqual(['success_rate_critical']);
    // 404s do not count against health.
    for (let i = 0; i < 20; i++) repo.record(bad(NOW - 5 * MIN, 100, 404, 'not_found'));
    expect(
      (await buildOpsSnapshot(queueCounts(db, NOW), repo, { ...input, dailyBudget: { limit: 10_000 } })).status,
    ).toBe('down');
    for (let i = 0; i < 34; i++) repo.record(ok(NOW - 2 * MIN, 100));
    // 38 of 40 = 95 %: healthy again.
    expect(
      (await buildOpsSnapshot(queueCounts(db, NOW), repo, { ...input, dailyBudget: { limit: 10_000 } })).status,
    ).toBe('healthy');
    repo.close();
  });

  it('never contains a secret, because it only echoes the config summary it is given', async () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db);
    const text = JSON.stringify(await buildOpsSnapshot(queueCounts(db, NOW), repo, input));
    expect(text).not.toMatch(/apiKey"\s*:\s*"|password|secret|token/i);
  });
});

describe('latency series', () => {
  it('has one bucket per minute for an hour, with empty minutes present as count 0', () => {
    const { db } = openTempDb();
    const repo = recordCalls(db);
    const series = latencySeriesSchema.parse(repo.read().latencySeries({ now: NOW, hours: 1 }));
    expect(series.bucketMinutes).toBe(1);
    expect(series.buckets).toHaveLength(60);
    expect(series.to).toBe('2026-01-15T10:31:00.000Z');
    expect(series.from).toBe('2026-01-15T09:31:00.000Z');
    const busy = series.buckets.filter((b) => b.count > 0);
    // 10:20:20 the 429; 10:29:20 a success (150 ms) and 10:29:50 a timeout (15 s).
    expect(busy.map((b) => [b.t, b.count, b.avgMs, b.errors])).toEqual([
      ['2026-01-15T10:20:00.000Z', 1, 20, 1],
      ['2026-01-15T10:29:00.000Z', 2, 7575, 1],
    ]);
    const empty = series.buckets[0]!;
    expect(empty).toEqual({ t: '2026-01-15T09:31:00.000Z', count: 0, avgMs: null, p95Ms: null, errors: 0 });
    repo.close();
  });

  it('draws 24 hours as 288 five-minute buckets holding every call of the window', () => {
    const { db } = openTempDb();
    const repo = recordCalls(db);
    const series = latencySeriesSchema.parse(repo.read().latencySeries({ now: NOW, hours: 24 }));
    expect(defaultBucketMinutes(24)).toBe(5);
    expect(series.bucketMinutes).toBe(5);
    expect(series.buckets).toHaveLength(288);
    expect(series.buckets.at(-1)?.t).toBe('2026-01-15T10:30:00.000Z');
    // The window starts at 10:35 yesterday: the boundary calls at 10:30 are before it.
    expect(series.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(8);
    const twoHoursAgo = series.buckets.find((b) => b.t === '2026-01-15T08:30:00.000Z')!;
    expect(twoHoursAgo).toMatchObject({ count: 5, avgMs: 330, errors: 2 });
    // p95 of 50, 100, 200, 300, 1000 ms is 1000 ms, estimated within 10 %.
    expect(twoHoursAgo.p95Ms).toBeGreaterThanOrEqual(900);
    expect(twoHoursAgo.p95Ms).toBeLessThanOrEqual(1100);
    expect(repo.read().latencySeries({ now: NOW, hours: 168 }).bucketMinutes).toBe(30);
    repo.close();
  });
});
