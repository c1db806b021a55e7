import { rmSync } from 'node:fs';
import type { BenchConfig } from '../bench-config';
import { runChild } from '../child-process';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure } from '../stats';
import type { Figure } from '../stats';
import type { OpsQueryResult } from './ops-queries-task';
import type { OpsSeedResult } from './seed-ops-db';

export interface OpsSection {
  snapshot_p95_ms: number;
  snapshot_p50_ms: number;
  series_p95_ms: number;
  series_p50_ms: number;
  jobs_search_p95_ms: number;
  jobs_search_p50_ms: number;
  seed: {
    apiCalls: number;
    jobs: number;
    applications: number;
    callsSeedMs: number;
    jobsSeedMs: number;
    totalCalls24h: number;
  };
  samplesPerRun: number;
  figures: Record<string, Figure>;
  load1PerRun: number[];
}

/** Seeds one database per bench run, then times the queries on it in `runs` fresh processes. */
export async function opsSuite(config: BenchConfig): Promise<OpsSection> {
  const o = config.ops;
  progress(`ops: seeding ${fmt(o.calls)} api calls and ${fmt(o.jobs)} jobs…`);
  const seed = (
    await runChild<OpsSeedResult>('ops.seed', { calls: o.calls, jobs: o.jobs, applications: o.applications }, 900_000)
  ).result;
  progress(
    `  seeded in ${fmt((seed.callsMs + seed.jobsMs) / 1000, 1)} s (calls ${fmt(seed.callsMs / 1000, 1)} s, jobs ${fmt(seed.jobsMs / 1000, 1)} s)`,
  );
  const results: OpsQueryResult[] = [];
  const load1PerRun: number[] = [];
  try {
    for (let run = 0; run < config.runs; run += 1) {
      load1PerRun.push(loadNow().load1);
      progress(`ops run ${run + 1}/${config.runs}: ${o.samples} snapshots, 24 h series and jobs searches…`);
      const r = (
        await runChild<OpsQueryResult>('ops.queries', {
          dir: seed.dir,
          samples: o.samples,
          applications: o.applications,
        })
      ).result;
      results.push(r);
      progress(
        `  snapshot p95 ${fmt(r.snapshot.p95Ms, 1)} ms, series p95 ${fmt(r.series.p95Ms, 1)} ms, jobs search p95 ${fmt(r.jobsSearch.p95Ms, 2)} ms`,
      );
    }
  } finally {
    rmSync(seed.dir, { recursive: true, force: true });
  }
  const f = (pick: (r: OpsQueryResult) => number) => figure(results.map(pick));
  const figures = {
    snapshotP95Ms: f((r) => r.snapshot.p95Ms),
    snapshotP50Ms: f((r) => r.snapshot.p50Ms),
    seriesP95Ms: f((r) => r.series.p95Ms),
    seriesP50Ms: f((r) => r.series.p50Ms),
    jobsSearchP95Ms: f((r) => r.jobsSearch.p95Ms),
    jobsSearchP50Ms: f((r) => r.jobsSearch.p50Ms),
  };
  return {
    snapshot_p95_ms: figures.snapshotP95Ms.median,
    snapshot_p50_ms: figures.snapshotP50Ms.median,
    series_p95_ms: figures.seriesP95Ms.median,
    series_p50_ms: figures.seriesP50Ms.median,
    jobs_search_p95_ms: figures.jobsSearchP95Ms.median,
    jobs_search_p50_ms: figures.jobsSearchP50Ms.median,
    seed: {
      apiCalls: o.calls,
      jobs: o.jobs,
      applications: o.applications,
      callsSeedMs: Math.round(seed.callsMs),
      jobsSeedMs: Math.round(seed.jobsMs),
      totalCalls24h: results[0]?.totalCalls24h ?? 0,
    },
    samplesPerRun: o.samples,
    figures,
    load1PerRun,
  };
}
