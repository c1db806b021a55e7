import { request } from 'undici';
import { variedEvents } from '../varied-events';

export interface IngestClientResult {
  events: number;
  requests: number;
  elapsedMs: number;
  eventsPerSec: number;
  /** Slowest POST of the run. */
  maxRequestMs: number;
}

/**
 * The scheduling system's side: POST /api/events, `batch` events per request, one request
 * after another. Bodies are serialized before the clock starts; each answer is read and checked
 * (202, one new job per event), so a refused or partial batch fails the run.
 */
export async function postEvents(
  url: string,
  token: string,
  params: { events: number; batch: number; runTag: string },
): Promise<IngestClientResult> {
  const post = async (body: string, expected: number) => {
    const res = await request(`${url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
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
  return {
    events: params.events,
    requests: bodies.length,
    elapsedMs,
    eventsPerSec: (params.events * 1000) / elapsedMs,
    maxRequestMs,
  };
}
