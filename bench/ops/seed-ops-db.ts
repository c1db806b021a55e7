import { join } from 'node:path';
import type { ApiCallInput } from '../../src/main/engine/ops/api-call-repository';
import { ApiCallRepository } from '../../src/main/engine/ops/api-call-repository';
import { openDatabase } from '../../src/main/engine/sync/database';
import type { Database } from '../../src/main/engine/sync/database';
import { cancelJob } from '../../src/main/engine/sync/cancel-job';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJobs } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { benchEngine } from '../engine-host';
import { noopJobs } from '../queue/noop-jobs';
import { benchDir } from '../temp-dir';

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

export interface OpsSeedParams {
  calls: number;
  jobs: number;
  /** Distinct application ids the jobs are spread over. */
  applications: number;
}

export interface OpsSeedResult {
  dir: string;
  callsMs: number;
  jobsMs: number;
  applications: number;
}

/** A small deterministic generator: the same seed data on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A week of calls as a busy console makes them: mostly notes written in 100–400 ms with a long
 * tail, some application reads, and the failures the dashboard exists for (5xx, timeouts, 429s,
 * unknown applications), recorded through ApiCallRepository.record so the per-minute rollup is
 * built exactly as in production.
 */
function seedCalls(db: Database, count: number, now: number): void {
  const random = lcg(42);
  const repo = new ApiCallRepository(db, { maxBuffered: 5000, flushIntervalMs: 60_000 });
  const start = now - WEEK_MS + 60_000;
  const step = (WEEK_MS - 120_000) / count;
  for (let i = 0; i < count; i += 1) {
    const r = random();
    const latency = Math.round(90 + 140 * Math.exp(1.1 * (random() + random() + random() - 1.5)));
    const base = {
      at: Math.round(start + i * step + random() * step),
      applicationId: `APP-${10000 + (i % 20000)}`,
      jobId: null,
    };
    let call: ApiCallInput;
    if (r < 0.955)
      call = {
        ...base,
        operation: 'addApplicationNote',
        statusCode: 201,
        outcome: 'success',
        latencyMs: latency,
        rateLimited: false,
        errorCode: null,
        errorMessage: null,
      };
    else if (r < 0.975)
      call = {
        ...base,
        operation: 'getApplication',
        statusCode: 200,
        outcome: 'success',
        latencyMs: latency,
        rateLimited: false,
        errorCode: null,
        errorMessage: null,
      };
    else if (r < 0.987)
      call = {
        ...base,
        operation: 'addApplicationNote',
        statusCode: 503,
        outcome: 'failure',
        latencyMs: latency,
        rateLimited: false,
        errorCode: 'server_error',
        errorMessage: 'iCIMS answered 503 Service Unavailable',
      };
    else if (r < 0.992)
      call = {
        ...base,
        operation: 'addApplicationNote',
        statusCode: null,
        outcome: 'failure',
        latencyMs: 15_000,
        rateLimited: false,
        errorCode: 'timeout',
        errorMessage: 'iCIMS did not answer within 15000 ms',
      };
    else if (r < 0.997)
      call = {
        ...base,
        operation: 'addApplicationNote',
        statusCode: 429,
        outcome: 'failure',
        latencyMs: 40,
        rateLimited: true,
        errorCode: 'rate_limited',
        errorMessage: 'Rate limit exceeded',
      };
    else
      call = {
        ...base,
        operation: 'addApplicationNote',
        statusCode: 404,
        outcome: 'failure',
        latencyMs: latency,
        rateLimited: false,
        errorCode: 'not_found',
        errorMessage: `Application ${base.applicationId} does not exist`,
      };
    repo.record(call);
  }
  repo.close();
}

/**
 * Jobs stored over the week through the engine's own queue functions (enqueue, claim, complete
 * with history, fail, cancel), in time order: ~97 % completed, ~1.5 % failed, ~0.5 % cancelled,
 * the newest ~1 % still pending.
 */
function seedJobs(db: Database, count: number, applications: number, now: number): void {
  const random = lcg(7);
  const owner = 'bench-seed';
  const batch = 1000;
  const start = now - WEEK_MS + 60_000;
  const step = (WEEK_MS - 3_600_000) / count;
  const pendingFrom = Math.floor(count * 0.99);
  for (let first = 0; first < count; first += batch) {
    const at = Math.round(start + first * step);
    const jobs: NewJob[] = noopJobs(Math.min(batch, count - first), at, first).map((job, k) => {
      const applicationId = `APP-${100000 + Math.floor(random() * applications)}`;
      return {
        ...job,
        eventId: `seed-${first + k}`,
        applicationId,
        runAfter: first + k >= pendingFrom ? now + 3_600_000 : at,
      };
    });
    enqueueJobs(db, jobs, at);
    const claimed = claimJobs(db, { owner, leaseMs: 120_000, now: at, limit: batch });
    const done = at + 300;
    const completions = [];
    for (const job of claimed) {
      const r = random();
      const attempt = { at, label: 'initial', statusCode: 201, latencyMs: 250, error: null };
      if (r < 0.015)
        failJob(db, {
          jobId: job.id,
          owner,
          now: done,
          verdict: { kind: 'permanent' },
          error: 'iCIMS answered 404: Application does not exist',
          backoffMs: [60_000],
          attempt: { ...attempt, outcome: 'permanent_failure', statusCode: 404, error: 'Application does not exist' },
        });
      else completions.push({ jobId: job.id, owner, now: done, attempt: { ...attempt, outcome: 'success' as const } });
    }
    completeJobs(db, completions);
  }
  // A few failed jobs an admin gave up on.
  const failed = db
    .prepare<[], number>("SELECT id FROM sync_jobs WHERE status = 'failed' ORDER BY id LIMIT 1000")
    .pluck()
    .all();
  for (const id of failed.slice(0, Math.floor(count * 0.005))) cancelJob(db, id, now);
}

/** Builds the ops database once per bench run; every query repetition opens the same folder. */
export async function seedOpsDbTask(params: OpsSeedParams): Promise<OpsSeedResult> {
  const temp = benchDir('ops');
  // The engine creates the folder's files (settings, key, lock) the query runs expect.
  const engine = await benchEngine(temp.dir, { ICIMS_MODE: 'mock' });
  await engine.stop();
  const db = openDatabase(join(temp.dir, 'console.db'));
  try {
    const now = Date.now();
    const t0 = performance.now();
    seedCalls(db, params.calls, now);
    const t1 = performance.now();
    seedJobs(db, params.jobs, params.applications, now);
    const t2 = performance.now();
    // No ANALYZE: a console's database never has planner statistics, so neither does this one.
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { dir: temp.dir, callsMs: t1 - t0, jobsMs: t2 - t1, applications: params.applications };
  } finally {
    db.close();
  }
}
