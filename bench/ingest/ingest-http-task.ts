import { request } from 'undici';
import { silentLogger } from '../../src/main/engine/logger';
import { startLocalServer } from '../../src/main/server/local-server';
import { BENCH_CONSOLE_TOKEN, benchEngine } from '../engine-host';
import { benchDir } from '../temp-dir';
import { variedEvents } from '../varied-events';

export interface IngestParams {
  events: number;
  batch: number;
  runTag: string;
}

export interface IngestResult {
  events: number;
  requests: number;
  elapsedMs: number;
  eventsPerSec: number;
  /** Slowest POST of the run. */
  maxRequestMs: number;
}

/**
 * POST /api/events over real HTTP to the real local server and engine (mock mode, traffic
 * simulation off), `batch` events per request, one request after another. Bodies are serialized
 * before the clock starts; each answer is read and checked (202, one new job per event).
 */
export async function ingestHttpTask(params: IngestParams): Promise<IngestResult> {
  const temp = benchDir('ingest');
  const engine = await benchEngine(temp.dir, { ICIMS_MODE: 'mock' });
  await engine.start();
  const server = await startLocalServer({ engine, staticDir: null, logger: silentLogger });
  try {
    const post = async (body: string, expected: number) => {
      const res = await request(`${server.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BENCH_CONSOLE_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await res.body.json()) as { jobs?: { duplicate: boolean }[] };
      if (res.statusCode !== 202 || answer.jobs?.length !== expected || answer.jobs.some((job) => job.duplicate)) {
        throw new Error(`POST /api/events answered ${res.statusCode}: ${JSON.stringify(answer).slice(0, 300)}`);
      }
    };
    // One batch first, untimed: the server's and zod's first calls compile code.
    await post(JSON.stringify(variedEvents(params.batch, `${params.runTag}-warm`)), params.batch);

    const all = variedEvents(params.events, params.runTag);
    const bodies: { body: string; n: number }[] = [];
    for (let i = 0; i < all.length; i += params.batch) {
      const slice = all.slice(i, i + params.batch);
      bodies.push({ body: JSON.stringify(slice), n: slice.length });
    }
    let maxRequestMs = 0;
    const t0 = performance.now();
    for (const { body, n } of bodies) {
      const start = performance.now();
      await post(body, n);
      maxRequestMs = Math.max(maxRequestMs, performance.now() - start);
    }
    const elapsedMs = performance.now() - t0;
    return { events: params.events, requests: bodies.length, elapsedMs, eventsPerSec: (params.events * 1000) / elapsedMs, maxRequestMs };
  } finally {
    await server.close();
    await engine.stop();
    temp.remove();
  }
}
