import { benchEngine } from '../engine-host';
import { quantile } from '../stats';

export interface OpsQueryParams {
  dir: string;
  samples: number;
  applications: number;
}

interface Timing {
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface OpsQueryResult {
  snapshot: Timing;
  series: Timing;
  jobsSearch: Timing;
  /** What the snapshot reported, to show the seed is what it claims. */
  totalCalls24h: number;
  seriesBuckets: number;
  searchRows: number;
}

async function timeCalls(samples: number, call: (i: number) => Promise<unknown>): Promise<Timing> {
  // Warm-up: first calls prepare statements and compile code.
  for (let i = 0; i < 3; i += 1) await call(i);
  const ms: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    await call(i);
    ms.push(performance.now() - start);
  }
  return { p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95), maxMs: Math.max(...ms) };
}

/**
 * The dashboard's and jobs screen's queries through the engine's ConsoleApi on the seeded
 * database: the ops snapshot, the 24 h latency series, and a jobs search by application id.
 */
export async function opsQueriesTask(params: OpsQueryParams): Promise<OpsQueryResult> {
  const engine = await benchEngine(params.dir, { ICIMS_MODE: 'mock' });
  try {
    const snapshot = await timeCalls(params.samples, () => engine.api.getSnapshot({}));
    const series = await timeCalls(params.samples, () => engine.api.getLatencySeries({ hours: 24 }));
    let searchRows = 0;
    const jobsSearch = await timeCalls(params.samples, async (i) => {
      const applicationId = `APP-${100000 + ((i * 7919) % params.applications)}`;
      const page = await engine.api.listJobs({ applicationId, limit: 50 });
      searchRows += page.jobs.length;
    });
    const last = await engine.api.getSnapshot({});
    const chart = await engine.api.getLatencySeries({ hours: 24 });
    return {
      snapshot,
      series,
      jobsSearch,
      totalCalls24h: last.metricsLast24h.totalCalls,
      seriesBuckets: chart.buckets.length,
      searchRows,
    };
  } finally {
    await engine.stop();
  }
}
