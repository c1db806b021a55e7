import type { Engine } from '../../src/main/engine/engine-types';
import { benchEngine } from '../engine-host';
import { benchDir, sleep } from '../temp-dir';
import { variedEvents } from '../varied-events';

export interface EngineWritesParams {
  url: string;
  apiKey: string;
  events: number;
  ingestBatch: number;
  ratePerMin: number;
  concurrency: number;
  runTag: string;
  /** Extra environment (the in-doubt row: a short ICIMS_TIMEOUT_MS and SYNC_BACKOFF_MS). */
  env?: Record<string, string>;
}

export interface EngineWritesResult {
  events: number;
  completed: number;
  failed: number;
  elapsedMs: number;
  achievedPerSec: number;
  allowedPerSec: number;
  achievedRatio: number;
  /** 429s the engine recorded (its own view; the fake's count is in the summary). */
  engineRateLimitHits: number;
  status: string;
}

async function counts(engine: Engine) {
  return engine.api.getJobCounts({});
}

/**
 * The real engine (createEngine, real mode) writing every event as a note to the fake iCIMS over
 * HTTP, paced by ICIMS_RATE_LIMIT_PER_MIN and ICIMS_MAX_CONCURRENCY. Time runs from the first
 * ingest call to the moment the last job is completed.
 */
export async function engineWritesTask(params: EngineWritesParams): Promise<EngineWritesResult> {
  const temp = benchDir('e2e');
  const engine = await benchEngine(temp.dir, {
    ICIMS_MODE: 'real',
    ICIMS_BASE_URL: params.url,
    ICIMS_API_KEY: params.apiKey,
    ICIMS_RATE_LIMIT_PER_MIN: String(params.ratePerMin),
    ICIMS_MAX_CONCURRENCY: String(params.concurrency),
    ICIMS_DAILY_LIMIT: String(Math.max(10_000, params.events * 4)),
    ...params.env,
  });
  try {
    await engine.start();
    const events = variedEvents(params.events, params.runTag);
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += params.ingestBatch) {
      const result = await engine.ingest(events.slice(i, i + params.ingestBatch));
      if (!result.ok) throw new Error(`ingest refused the bench events: ${JSON.stringify(result.issues.slice(0, 3))}`);
    }
    let c = await counts(engine);
    while (c.completed + c.failed + c.cancelled < params.events) {
      if (performance.now() - t0 > 600_000) throw new Error(`end-to-end run stuck: ${JSON.stringify(c)}`);
      await sleep(10);
      c = await counts(engine);
    }
    const elapsedMs = performance.now() - t0;
    const snapshot = await engine.api.getSnapshot({});
    const allowedPerSec = params.ratePerMin / 60;
    const achievedPerSec = (c.completed * 1000) / elapsedMs;
    return {
      events: params.events,
      completed: c.completed,
      failed: c.failed,
      elapsedMs,
      achievedPerSec,
      allowedPerSec,
      achievedRatio: achievedPerSec / allowedPerSec,
      engineRateLimitHits: snapshot.metricsLast24h.rateLimitHits,
      status: snapshot.status,
    };
  } finally {
    await engine.stop();
    temp.remove();
  }
}
