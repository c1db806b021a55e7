import type { BenchConfig } from '../bench-config';
import { runChild } from '../child-process';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure, median, round } from '../stats';
import type { Figure } from '../stats';
import type { LogLineCost } from './log-line-cost';
import type { QueueRun } from './noop-jobs';

interface Contender {
  key: string;
  label: string;
  task: string;
  backlog: number;
  params: Record<string, unknown>;
  note?: string;
}

export interface QueueFigure extends Figure {
  label: string;
  backlog: number;
  note?: string;
  /** This contender's jobs/s ÷ the engine's, per round (same round, same load). */
  engineRatioRuns?: number[];
  maxRssMb: number[];
}

export interface QueueSection {
  engine_jobs_per_s: number;
  engine_store_jobs_per_s: number;
  floor_jobs_per_s: number;
  floor_single_jobs_per_s: number;
  floor_minimal_jobs_per_s: number;
  plainjob_jobs_per_s: number;
  liteque_jobs_per_s: number;
  liteque_indexed_jobs_per_s?: number;
  /** engine ÷ contender, the median of per-round ratios. */
  ratios: Record<string, number>;
  engine_peak_rss_mb: number;
  /** µs per `job.completed` log line: the bare JsonLogger (inside the engine figure) and with engine.ts's redaction. */
  log_line_us: { plain: Figure; redacting: Figure };
  figures: Record<string, QueueFigure>;
  load1PerRound: number[];
}

export function queueContenders(config: BenchConfig): Contender[] {
  const q = config.queue;
  const list: Contender[] = [
    {
      key: 'engine',
      label: 'engine: SyncWorker + sqliteWorkerQueue',
      task: 'queue.engine',
      backlog: q.jobs,
      params: { jobs: q.jobs, enqueueBatch: q.enqueueBatch, concurrency: q.concurrency },
    },
    {
      key: 'engine_store',
      label: `engine store only: claimJobs(${q.claimBatch}) → completeJobs`,
      task: 'queue.store',
      backlog: q.jobs,
      params: { jobs: q.jobs, enqueueBatch: q.enqueueBatch, claimBatch: q.claimBatch },
    },
    {
      key: 'floor',
      label: `floor: raw SQL, engine schema, ${q.claimBatch}/txn`,
      task: 'queue.floor',
      backlog: q.jobs,
      params: { jobs: q.jobs, enqueueBatch: q.enqueueBatch, batch: q.claimBatch },
    },
    {
      key: 'floor_single',
      label: 'floor: raw SQL, 1 job per statement',
      task: 'queue.floor',
      backlog: q.singleStatementJobs,
      params: { jobs: q.singleStatementJobs, enqueueBatch: q.enqueueBatch, batch: 1 },
      note: 'smaller backlog (autocommit per statement)',
    },
    {
      key: 'floor_minimal',
      label: `floor: bare 4-column table, ${q.claimBatch}/txn`,
      task: 'queue.floor-minimal',
      backlog: q.jobs,
      params: { jobs: q.jobs, enqueueBatch: q.enqueueBatch, batch: q.claimBatch },
      note: 'reference: no history, no indexes but the due one',
    },
    {
      key: 'plainjob',
      label: 'plainjob 0.0.14',
      task: 'queue.plainjob',
      backlog: q.jobs,
      params: { jobs: q.jobs, enqueueBatch: q.enqueueBatch },
    },
    {
      key: 'liteque',
      label: 'liteque 0.8.0',
      task: 'queue.liteque',
      backlog: q.slowPeerJobs,
      params: { jobs: q.slowPeerJobs, concurrency: q.concurrency, dequeueIndex: false },
      note: 'smaller backlog (slow); dequeue made synchronous, see docs',
    },
  ];
  if (q.litequeIndexed) {
    list.push({
      key: 'liteque_indexed',
      label: 'liteque 0.8.0 + index on dequeue columns',
      task: 'queue.liteque',
      backlog: q.slowPeerJobs,
      params: { jobs: q.slowPeerJobs, concurrency: q.concurrency, dequeueIndex: true },
      note: 'reference: index added by the bench',
    });
  }
  if (q.contenders.length === 0) return list;
  const unknown = q.contenders.filter((key) => !list.some((c) => c.key === key));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_QUEUE_CONTENDERS names unknown rows: ${unknown.join(', ')} (known: ${list.map((c) => c.key).join(', ')})`,
    );
  // The engine row stays: every ratio is taken against it.
  return list.filter((c) => c.key === 'engine' || q.contenders.includes(c.key));
}

/**
 * Every contender once per round, the order rotated each round, so drift in the machine's load
 * spreads over all of them; ratios are taken within a round.
 */
export async function queueSuite(config: BenchConfig): Promise<QueueSection> {
  const contenders = queueContenders(config);
  const runs = new Map<string, QueueRun[]>(contenders.map((c) => [c.key, []]));
  const rss = new Map<string, number[]>(contenders.map((c) => [c.key, []]));
  const load1PerRound: number[] = [];
  const logLines: LogLineCost[] = [];
  for (let round = 0; round < config.runs; round += 1) {
    load1PerRound.push(loadNow().load1);
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const c of order) {
      progress(`queue round ${round + 1}/${config.runs}: ${c.label} (${fmt(c.backlog)} jobs)…`);
      const outcome = await runChild<QueueRun>(c.task, c.params, 900_000);
      runs.get(c.key)!.push(outcome.result);
      rss.get(c.key)!.push(outcome.maxRssMb);
      progress(
        `  ${fmt(outcome.result.jobsPerSec)} jobs/s (enqueue ${fmt(outcome.result.enqueueMs)} ms, drain ${fmt(outcome.result.drainMs)} ms, peak RSS ${outcome.maxRssMb} MB)`,
      );
    }
    const lines = (await runChild<LogLineCost>('queue.log-line', { lines: 20_000 })).result;
    logLines.push(lines);
    progress(
      `  job.completed log line: ${fmt(lines.plainUs, 1)} µs bare, ${fmt(lines.redactingUs, 1)} µs with engine.ts redaction`,
    );
  }
  const rate = (key: string) => runs.get(key)!.map((r) => r.jobsPerSec);
  const engine = rate('engine');
  const figures: Record<string, QueueFigure> = {};
  const ratios: Record<string, number> = {};
  for (const c of contenders) {
    const perRound = rate(c.key).map((v, i) => v / engine[i]!);
    figures[c.key] = {
      ...figure(rate(c.key)),
      label: c.label,
      backlog: c.backlog,
      ...(c.note ? { note: c.note } : {}),
      ...(c.key === 'engine' ? {} : { engineRatioRuns: perRound.map((r) => round(1 / r)) }),
      maxRssMb: rss.get(c.key)!,
    };
    if (c.key !== 'engine') ratios[`engine_vs_${c.key}`] = round(median(perRound.map((r) => 1 / r)));
  }
  const med = (key: string) => figures[key]?.median ?? Number.NaN;
  return {
    engine_jobs_per_s: med('engine'),
    engine_store_jobs_per_s: med('engine_store'),
    floor_jobs_per_s: med('floor'),
    floor_single_jobs_per_s: med('floor_single'),
    floor_minimal_jobs_per_s: med('floor_minimal'),
    plainjob_jobs_per_s: med('plainjob'),
    liteque_jobs_per_s: med('liteque'),
    ...(figures.liteque_indexed ? { liteque_indexed_jobs_per_s: med('liteque_indexed') } : {}),
    ratios,
    engine_peak_rss_mb: Math.max(...rss.get('engine')!),
    log_line_us: {
      plain: figure(logLines.map((l) => l.plainUs)),
      redacting: figure(logLines.map((l) => l.redactingUs)),
    },
    figures,
    load1PerRound,
  };
}
