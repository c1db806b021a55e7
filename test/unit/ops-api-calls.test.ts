import { apiCall } from '../fixtures/api-call';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recentFailureSchema } from '../../src/shared/ops-snapshot';
import type { ApiCallRecord } from '../../src/main/engine/icims/icims-client';
import { ApiCallRepository } from '../../src/main/engine/ops/api-call-repository';
import type { ApiCallInput } from '../../src/main/engine/ops/api-call-repository';
import { CALL_KIND, classifyCall } from '../../src/main/engine/ops/call-classification';
import { openTempDb } from '../helpers/temp-db';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 0, 15, 10, 30, 0);

const call = apiCall;

function failure(at: number, statusCode: number | null, overrides: Partial<ApiCallInput> = {}): ApiCallInput {
  return call(at, {
    outcome: 'failure',
    statusCode,
    errorCode: 'server',
    errorMessage: `HTTP ${statusCode}`,
    ...overrides,
  });
}

function rawCount(db: ReturnType<typeof openTempDb>['db']): number {
  return db.prepare<[], number>('SELECT count(*) FROM api_calls').pluck().get()!;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('call classification', () => {
  it.each([
    [{ outcome: 'success', statusCode: 201, rateLimited: false }, CALL_KIND.success],
    [{ outcome: 'failure', statusCode: 429, rateLimited: true }, CALL_KIND.rateLimited],
    [{ outcome: 'failure', statusCode: 429, rateLimited: false }, CALL_KIND.rateLimited],
    [{ outcome: 'failure', statusCode: 503, rateLimited: false }, CALL_KIND.failure],
    [{ outcome: 'failure', statusCode: null, rateLimited: false }, CALL_KIND.failure],
    [{ outcome: 'failure', statusCode: 401, rateLimited: false }, CALL_KIND.failure],
    [{ outcome: 'failure', statusCode: 403, rateLimited: false }, CALL_KIND.failure],
    [{ outcome: 'failure', statusCode: 408, rateLimited: false }, CALL_KIND.failure],
    [{ outcome: 'failure', statusCode: 404, rateLimited: false }, CALL_KIND.dataError],
    [{ outcome: 'failure', statusCode: 400, rateLimited: false }, CALL_KIND.dataError],
    [{ outcome: 'failure', statusCode: 422, rateLimited: false }, CALL_KIND.dataError],
  ] as [Pick<ApiCallRecord, 'outcome' | 'statusCode' | 'rateLimited'>, number][])('%o → %i', (record, kind) => {
    expect(classifyCall(record)).toBe(kind);
  });
});

describe('ApiCallRepository', () => {
  it('buffers calls, but every reader sees them at once', () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db, { flushIntervalMs: 60_000, maxBuffered: 1000 });
    repo.record(call(T0));
    repo.record(failure(T0 + 1, 503));
    expect(rawCount(db)).toBe(0); // still buffered
    expect(repo.read().totals(T0 - DAY)).toMatchObject({ calls: 2, successes: 1, failures: 1 });
    expect(rawCount(db)).toBe(2);
    repo.close();
  });

  it('writes the buffer after the flush interval and when it is full', () => {
    vi.useFakeTimers();
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db, { flushIntervalMs: 100, maxBuffered: 3 });
    repo.record(call(T0));
    vi.advanceTimersByTime(99);
    expect(rawCount(db)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(rawCount(db)).toBe(1);
    repo.record(call(T0));
    repo.record(call(T0));
    repo.record(call(T0));
    expect(rawCount(db)).toBe(4);
    repo.close();
  });

  it('keeps the per-minute rollup equal to the raw rows', () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db, { maxBuffered: 7 });
    const calls: ApiCallInput[] = [];
    for (let i = 0; i < 500; i++) {
      const at = T0 + i * 7_919; // crosses ~66 minutes, several calls per minute
      if (i % 10 === 0) calls.push(failure(at, 503, { latencyMs: 15_000 }));
      else if (i % 17 === 0) calls.push(failure(at, 429, { rateLimited: true, errorCode: 'rate_limited' }));
      else if (i % 23 === 0) calls.push(failure(at, 404, { errorCode: 'not_found' }));
      else calls.push(call(at, { latencyMs: 100 + (i % 50) }));
    }
    for (const c of calls) repo.record(c);
    repo.flush();
    const rollup = db
      .prepare<
        [],
        { calls: number; successes: number; failures: number; hf: number; rl: number; de: number; lat: number }
      >(
        `SELECT sum(calls) AS calls, sum(successes) AS successes, sum(failures) AS failures, sum(health_failures) AS hf,
                sum(rate_limited) AS rl, sum(data_errors) AS de, sum(latency_sum) AS lat FROM api_call_minutes`,
      )
      .get()!;
    const raw = db
      .prepare<
        [],
        { calls: number; successes: number; failures: number; hf: number; rl: number; de: number; lat: number }
      >(
        `SELECT count(*) AS calls, sum(kind = 0) AS successes, sum(kind <> 0) AS failures, sum(kind = 1) AS hf,
                sum(kind = 2) AS rl, sum(kind = 3) AS de, sum(latency_ms) AS lat FROM api_calls`,
      )
      .get()!;
    expect(rollup).toEqual(raw);
    expect(raw).toMatchObject({ calls: 500, hf: 50 });
    // Per minute, too.
    const mismatched = db
      .prepare(
        `SELECT m.minute FROM api_call_minutes m
          WHERE m.calls <> (SELECT count(*) FROM api_calls c WHERE c.at >= m.minute AND c.at < m.minute + 60000)`,
      )
      .all();
    expect(mismatched).toEqual([]);
    repo.close();
  });

  it('counts the calls of the current UTC day for the daily budget', () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db);
    const midnight = Date.UTC(2026, 0, 16);
    repo.record(call(midnight - 1));
    repo.record(call(midnight));
    repo.record(failure(midnight + 5 * MIN, 500));
    repo.record(call(midnight + 23 * 60 * MIN));
    expect(repo.dailyUsed(midnight + 12 * 60 * MIN)).toBe(3);
    repo.close();
  });

  it('lists the newest failures with their error, application and job', () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db);
    repo.record(failure(T0, 503));
    for (let i = 1; i <= 6; i++) {
      repo.record(call(T0 + i * 1000));
      repo.record(
        failure(T0 + i * 1000 + 1, 404, {
          errorMessage: `Application APP-${i} not found`,
          applicationId: `APP-${i}`,
          jobId: i,
        }),
      );
    }
    repo.record(
      failure(T0 + 10_000, null, { operation: 'token', errorCode: 'timeout', errorMessage: null, applicationId: null }),
    );
    const failures = repo.read().recentFailures();
    expect(failures).toHaveLength(5);
    for (const f of failures) recentFailureSchema.parse(f);
    expect(failures[0]).toEqual({
      at: new Date(T0 + 10_000).toISOString(),
      operation: 'token',
      statusCode: null,
      error: 'timeout',
      jobId: null,
      applicationId: null,
    });
    expect(failures[1]).toEqual({
      at: new Date(T0 + 6001).toISOString(),
      operation: 'addApplicationNote',
      statusCode: 404,
      error: 'Application APP-6 not found',
      jobId: 6,
      applicationId: 'APP-6',
    });
    expect(failures.at(-1)?.applicationId).toBe('APP-3');
    repo.close();
  });

  it('prunes calls older than 7 days, and their minutes', () => {
    const { db } = openTempDb();
    const repo = new ApiCallRepository(db);
    const now = T0 + 10 * DAY;
    repo.record(call(now - 7 * DAY - 2 * MIN));
    repo.record(call(now - 7 * DAY - 1));
    repo.record(call(now - 7 * DAY));
    repo.record(call(now - MIN));
    expect(repo.prune(now)).toBe(2);
    expect(rawCount(db)).toBe(2);
    const oldestMinute = db.prepare<[], number>('SELECT min(minute) FROM api_call_minutes').pluck().get()!;
    expect(oldestMinute).toBeGreaterThanOrEqual(now - 7 * DAY - MIN);
    repo.close();
  });

  it('never throws from record, even when the database is gone', () => {
    const { db } = openTempDb();
    const logged: string[] = [];
    const repo = new ApiCallRepository(db, { logger: { log: (_level, event) => logged.push(event) } });
    db.close();
    expect(() => {
      repo.record(call(T0));
      repo.flush();
    }).not.toThrow();
    expect(logged).toContain('ops.api_calls.flush_failed');
  });
});
