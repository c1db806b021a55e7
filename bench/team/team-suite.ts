import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onDatabase, PG_BIN, pgAvailable, startPgCluster } from '../../test/helpers/pg-cluster';
import type { PgCluster } from '../../test/helpers/pg-cluster';
import type { BenchConfig } from '../bench-config';
import { BenchChild, runChild } from '../child-process';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure, median, round } from '../stats';
import type { Figure } from '../stats';
import { teamE2eSuite } from './team-e2e';
import type { TeamE2eResult } from './team-e2e';
import type { TeamContenderKind, TeamFillParams } from './team-fill';
import type { TeamFill, TeamWorkerRun } from './team-run';

interface TeamContender {
  key: string;
  label: string;
  kind: TeamContenderKind;
  processes: number;
  task: string;
  params: Record<string, unknown>;
}

export interface TeamFigure extends Figure {
  label: string;
  processes: number;
  /** Filling the database before the clock started, ms per run. */
  fillMs: number[];
  /** Peak RSS of each run's busiest worker process. */
  maxRssMb: number[];
  /** Claim round trips per run (sum over processes), where the bench runs the loop. */
  batches?: number[];
  /** Per run, the mean over processes of the time spent waiting on claims and on completions (ms). */
  claimMs?: number[];
  completeMs?: number[];
  /** Per run, the CPU all worker processes of the contender used over the drain, summed (ms). */
  workerCpuMs: number[];
  /**
   * Per run, CPU of the PostgreSQL server processes that ended over the drain (the workers'
   * backends, and any autovacuum that ran meanwhile), ms; 10 ms resolution (clock ticks).
   */
  serverCpuMs: number[];
  /** Jobs done by the process that did the fewest, per run: how evenly SKIP LOCKED shared the work. */
  fewestJobsInAProcess: number[];
}

export interface TeamResults {
  jobs: number;
  pg_engine_jobs_per_s_1: number;
  pg_engine_jobs_per_s_2: number;
  pg_engine_jobs_per_s_4: number;
  pgboss_jobs_per_s: number;
  graphile_jobs_per_s: number;
  /** engine (4 processes) ÷ contender, the median of per-round ratios. */
  ratios: { engine4_vs_pgboss: number; engine4_vs_graphile: number };
  setup: { claimBatch: number; peerProcesses: number; graphileConcurrency: number; postgres: string };
  figures: Record<string, TeamFigure>;
  load1PerRound: number[];
  /** The team end to end (3 engine processes at the fake's limit): steady-state notes per minute ÷ the limit. */
  e2e_achieved_ratio?: number;
  /** 429s the fake answered, worst run (must be 0). */
  e2e_http_429?: number;
  /** Notes stored twice at the non-deduplicating fake, worst run (must be 0). */
  e2e_duplicates?: number;
  e2e: TeamE2eResult;
}

export type TeamSection = TeamResults | { skipped: string };

export const teamSkipped = (s: TeamSection | undefined): s is { skipped: string } => s !== undefined && 'skipped' in s;

export function teamContenders(config: BenchConfig): TeamContender[] {
  const t = config.team;
  const engine = (processes: number): TeamContender => ({
    key: `engine_${processes}`,
    label: `engine: claimJobs(${t.claimBatch}) → completeJobs, ${processes} process${processes === 1 ? '' : 'es'}`,
    kind: 'engine',
    processes,
    task: 'team.engine',
    params: { claimBatch: t.claimBatch },
  });
  const list: TeamContender[] = [
    engine(1),
    engine(2),
    engine(4),
    {
      key: 'pgboss',
      label: `pg-boss 10.4.2: fetch(batchSize ${t.claimBatch}) → complete(ids), ${t.peerProcesses} processes`,
      kind: 'pgboss',
      processes: t.peerProcesses,
      task: 'team.pgboss',
      params: { batchSize: t.claimBatch },
    },
    {
      key: 'graphile',
      label: `graphile-worker 0.17.3: runOnce, localQueue ${t.claimBatch}, batched completes, concurrency ${t.graphileConcurrency}, ${t.peerProcesses} processes`,
      kind: 'graphile',
      processes: t.peerProcesses,
      task: 'team.graphile',
      params: { localQueue: t.claimBatch, concurrency: t.graphileConcurrency },
    },
  ];
  if (t.contenders.length === 0) return list;
  if (t.contenders.length === 1 && t.contenders[0] === 'none') return [];
  const unknown = t.contenders.filter((key) => !list.some((c) => c.key === key));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_TEAM_CONTENDERS names unknown rows: ${unknown.join(', ')} (known: ${list.map((c) => c.key).join(', ')})`,
    );
  return list.filter((c) => c.key === 'engine_4' || t.contenders.includes(c.key));
}

/** Counts what each contender's own tables say is done, so a run that lost or repeated jobs fails loudly. */
async function checkDrained(kind: TeamContenderKind, url: string, jobs: number): Promise<void> {
  const sql: Record<TeamContenderKind, string> = {
    engine: "SELECT count(*) FILTER (WHERE status = 'completed')::int AS done, count(*)::int AS total FROM sync_jobs",
    pgboss:
      "SELECT count(*) FILTER (WHERE state = 'completed')::int AS done, count(*)::int AS total FROM pgboss.job WHERE name = 'bench'",
    // graphile-worker deletes a job when it completes.
    graphile: `SELECT ${jobs} - count(*)::int AS done, ${jobs}::int AS total FROM graphile_worker._private_jobs`,
  };
  const row = await onDatabase(url, async (c) => (await c.query<{ done: number; total: number }>(sql[kind])).rows[0]!);
  if (row.total !== jobs || row.done !== jobs)
    throw new Error(`${kind}: expected ${jobs} jobs completed, found ${row.done} of ${row.total}`);
}

/**
 * CPU the cluster's server processes have used and ended, ms: a backend's CPU is added to the
 * postmaster's children total (cutime + cstime in /proc) when it exits. Linux only; NaN elsewhere.
 */
function serverCpuMs(cluster: PgCluster): number {
  try {
    const pid = readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8')
      .split('\n')[0]!
      .trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Waits until no session is left on the database, so every backend's CPU has been counted. */
async function backendsGone(cluster: PgCluster, name: string): Promise<void> {
  await onDatabase(cluster.url, async (client) => {
    for (let i = 0; i < 500; i += 1) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  // A backend leaves pg_stat_activity before it exits and the postmaster reaps it.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** One measurement: a fresh database, the backlog stored, then every worker process started on one signal. */
async function measure(
  cluster: PgCluster,
  c: TeamContender,
  config: BenchConfig,
  round: number,
): Promise<{
  jobsPerSec: number;
  fillMs: number;
  rss: number;
  batches?: number;
  claimMs?: number;
  completeMs?: number;
  cpuMs: number;
  serverCpuMs: number;
  fewest: number;
}> {
  const jobs = config.team.jobs;
  const name = `bench_${c.key}_${round}`;
  const url = await cluster.createDatabase(name);
  try {
    const fill = await runChild<TeamFill>('team.fill', {
      kind: c.kind,
      url,
      jobs,
      batch: config.team.enqueueBatch,
    } satisfies TeamFillParams);
    // As autovacuum would have by now on a live system; the same for every contender.
    await onDatabase(url, (client) => client.query('VACUUM ANALYZE'));
    // The fill's and the vacuum's backends must have ended before the CPU count starts.
    await backendsGone(cluster, name);
    const workers = Array.from(
      { length: c.processes },
      () => new BenchChild<TeamWorkerRun>(c.task, { url, ...c.params }, 600_000),
    );
    await Promise.all(workers.map((w) => w.next('ready')));
    const server0 = serverCpuMs(cluster);
    const t0 = performance.now();
    for (const w of workers) w.send({ type: 'go' });
    const outcomes = await Promise.all(workers.map((w) => w.result()));
    const wallMs = performance.now() - t0;
    await backendsGone(cluster, name);
    const serverCpu = serverCpuMs(cluster) - server0;
    const done = outcomes.reduce((sum, o) => sum + o.result.jobs, 0);
    if (done !== jobs) throw new Error(`${c.key}: the workers report ${done} jobs done, expected ${jobs}`);
    await checkDrained(c.kind, url, jobs);
    const batches = outcomes.every((o) => o.result.batches !== undefined)
      ? outcomes.reduce((sum, o) => sum + o.result.batches!, 0)
      : undefined;
    const mean = (pick: (r: TeamWorkerRun) => number | undefined) =>
      outcomes.every((o) => pick(o.result) !== undefined)
        ? outcomes.reduce((sum, o) => sum + pick(o.result)!, 0) / outcomes.length
        : undefined;
    const claimMs = mean((r) => r.claimMs);
    const completeMs = mean((r) => r.completeMs);
    return {
      jobsPerSec: jobs / (wallMs / 1000),
      cpuMs: outcomes.reduce((sum, o) => sum + o.result.cpuMs, 0),
      serverCpuMs: serverCpu,
      ...(claimMs !== undefined ? { claimMs } : {}),
      ...(completeMs !== undefined ? { completeMs } : {}),
      fillMs: fill.result.fillMs,
      rss: Math.max(...outcomes.map((o) => o.maxRssMb)),
      ...(batches !== undefined ? { batches } : {}),
      fewest: Math.min(...outcomes.map((o) => o.result.jobs)),
    };
  } finally {
    await onDatabase(cluster.url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(
      () => undefined,
    );
  }
}

/**
 * The team group: the engine's PostgreSQL queue statements with 1, 2 and 4 worker processes, and
 * pg-boss and graphile-worker with 4, on one throwaway cluster (test/helpers/pg-cluster.ts: fsync
 * off), each measurement on a fresh database with the same backlog; rounds rotate the order as the
 * queue group's do, and ratios are taken within a round.
 */
export async function teamSuite(config: BenchConfig): Promise<TeamSection> {
  if (!pgAvailable) {
    const reason = `PostgreSQL binaries (initdb, pg_ctl) not found in ${PG_BIN} (install Debian's postgresql package or set PG_BIN): team group skipped`;
    progress(`team: skipped — ${reason}`);
    return { skipped: reason };
  }
  const contenders = teamContenders(config);
  const cluster = await startPgCluster();
  try {
    const version = await onDatabase(
      cluster.url,
      async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version,
    );
    progress(`team: PostgreSQL ${version} on port ${cluster.port} (fsync off), ${fmt(config.team.jobs)} jobs each`);
    const runs = new Map<string, Awaited<ReturnType<typeof measure>>[]>(contenders.map((c) => [c.key, []]));
    const load1PerRound: number[] = [];
    for (let r = 0; r < config.runs; r += 1) {
      load1PerRound.push(loadNow().load1);
      const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]!);
      for (const c of order) {
        progress(`team round ${r + 1}/${config.runs}: ${c.label}…`);
        const run = await measure(cluster, c, config, r);
        runs.get(c.key)!.push(run);
        const waits =
          run.claimMs !== undefined
            ? `, per process ${fmt(run.claimMs)} ms in claims and ${fmt(run.completeMs ?? Number.NaN)} ms in completions`
            : '';
        progress(
          `  ${fmt(run.jobsPerSec)} jobs/s (fill ${fmt(run.fillMs)} ms untimed${waits}, CPU ${fmt(run.cpuMs)} ms in the workers and ${fmt(run.serverCpuMs)} ms in PostgreSQL, busiest process peak RSS ${run.rss} MB)`,
        );
      }
    }
    const rate = (key: string) => runs.get(key)!.map((r) => r.jobsPerSec);
    const figures: Record<string, TeamFigure> = {};
    for (const c of contenders) {
      const list = runs.get(c.key)!;
      figures[c.key] = {
        ...figure(rate(c.key)),
        label: c.label,
        processes: c.processes,
        fillMs: list.map((r) => round(r.fillMs)),
        maxRssMb: list.map((r) => r.rss),
        ...(list.every((r) => r.batches !== undefined) ? { batches: list.map((r) => r.batches!) } : {}),
        ...(list.every((r) => r.claimMs !== undefined) ? { claimMs: list.map((r) => round(r.claimMs!)) } : {}),
        ...(list.every((r) => r.completeMs !== undefined) ? { completeMs: list.map((r) => round(r.completeMs!)) } : {}),
        workerCpuMs: list.map((r) => round(r.cpuMs)),
        serverCpuMs: list.map((r) => round(r.serverCpuMs)),
        fewestJobsInAProcess: list.map((r) => r.fewest),
      };
    }
    const engine4 = runs.has('engine_4') ? rate('engine_4') : [];
    const ratio = (key: string) =>
      runs.has(key) && runs.has('engine_4') ? round(median(rate(key).map((v, i) => engine4[i]! / v))) : Number.NaN;
    const e2e = await teamE2eSuite(cluster, config);
    const e2eFigures =
      'skipped' in e2e
        ? {}
        : { e2e_achieved_ratio: e2e.achieved_ratio, e2e_http_429: e2e.http_429, e2e_duplicates: e2e.duplicates };
    const med = (key: string) => figures[key]?.median ?? Number.NaN;
    return {
      jobs: config.team.jobs,
      pg_engine_jobs_per_s_1: med('engine_1'),
      pg_engine_jobs_per_s_2: med('engine_2'),
      pg_engine_jobs_per_s_4: med('engine_4'),
      pgboss_jobs_per_s: med('pgboss'),
      graphile_jobs_per_s: med('graphile'),
      ratios: { engine4_vs_pgboss: ratio('pgboss'), engine4_vs_graphile: ratio('graphile') },
      setup: {
        claimBatch: config.team.claimBatch,
        peerProcesses: config.team.peerProcesses,
        graphileConcurrency: config.team.graphileConcurrency,
        postgres: version,
      },
      figures,
      load1PerRound,
      ...e2eFigures,
      e2e,
    };
  } finally {
    await cluster.stop();
  }
}
