import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeadless } from '../../test/helpers/headless-process';
import type { HeadlessProcess } from '../../test/helpers/headless-process';
import type { PgCluster } from '../../test/helpers/pg-cluster';
import type { BenchConfig } from '../bench-config';
import { BenchChild } from '../child-process';
import type { FakeIcimsParams, FakeSummary } from '../e2e/fake-icims-task';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure, round } from '../stats';
import type { Figure } from '../stats';
import { sleep } from '../temp-dir';
import { variedEvents } from '../varied-events';

const API_KEY = 'bench-icims-api-key-0123456789';
const CONSOLE_TOKEN = 'bench-console-token-0123456789abcdef';

/**
 * The rate a team kept against a limit of `limit` calls in any rolling minute, from the arrival
 * times of its notes at iCIMS (ascending).
 *
 * For each note i of the window, the time until note i + limit: a team that never exceeds the
 * limit needs at least 60 s for that, and one that is always ready sends note i + limit as soon
 * as the minute allows. So notes per minute = limit × 60 000 ÷ the mean of those spans. Unlike
 * notes ÷ elapsed time, this does not depend on where a run starts or stops within the limiter's
 * rhythm: the window of reservations grants a whole minute's calls at once and then repeats that
 * pattern one span later, so any time window that does not cover whole spans over- or
 * under-counts. The window starts after the first `limit` notes (the first minute's allowance,
 * and the engines warming up) when there are more than 2 × limit notes; with fewer it starts at
 * the first note.
 */
export function steadyRate(
  arrivals: readonly number[],
  limit: number,
): { perMinute: number; meanSpanMs: number; minSpanMs: number; spans: number; fromNote: number } | null {
  const n = arrivals.length;
  if (n <= limit) return null;
  const fromNote = n > 2 * limit ? limit : 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let spans = 0;
  for (let i = fromNote; i + limit < n; i += 1) {
    const span = arrivals[i + limit]! - arrivals[i]!;
    sum += span;
    min = Math.min(min, span);
    spans += 1;
  }
  const meanSpanMs = sum / spans;
  return { perMinute: (limit * 60_000) / meanSpanMs, meanSpanMs, minSpanMs: min, spans, fromNote };
}

function per10s(arrivals: readonly number[]): number[] {
  const out: number[] = [];
  for (const at of arrivals) {
    const slot = Math.floor((at - arrivals[0]!) / 10_000);
    while (out.length <= slot) out.push(0);
    out[slot]! += 1;
  }
  return out;
}

export interface TeamE2eRun {
  /** Steady-state notes per minute ÷ the limit (see steadyRate). */
  achievedRatio: number;
  achievedPerMin: number;
  /** Mean and shortest time from a note to the note `limit` later, over the window. */
  meanSpanMs: number;
  minSpanMs: number;
  spans: number;
  fromNote: number;
  /**
   * The single-engine method for comparison: notes ÷ (first ingest → last note at the fake), as
   * a ratio of the limit. It counts the first minute's allowance, so it overstates a short run.
   */
  wholeRunRatio: number;
  elapsedMs: number;
  completed: number;
  /** Engines the snapshot listed. */
  nodes: string[];
  fake: Omit<FakeSummary, 'noteArrivals'>;
  /** Notes that arrived at the fake in each 10 s from the first one: the rhythm of the team's calls. */
  notesPer10s: number[];
  load1: number;
}

export interface TeamE2eSection {
  events: number;
  engines: number;
  achieved_ratio: number;
  achieved_per_min: number;
  allowed_per_min: number;
  /** The worst run: every run must have none. */
  http_429: number;
  duplicates: number;
  /** The fewest distinct notes any run left at the fake (must equal `events`). */
  distinct_notes: number;
  /** The most requests the fake saw in any 60 s, worst run (must not exceed the limit). */
  busiest_minute: number;
  setup: {
    engines: number;
    concurrencyPerEngine: number;
    latencyMs: number;
    ratePerMin: number;
    fakeBurst: number;
    dedupe: false;
  };
  figures: { achievedRatio: Figure; wholeRunRatio: Figure; meanSpanMs: Figure; elapsedMs: Figure };
  runs: TeamE2eRun[];
}

export type TeamE2eResult = TeamE2eSection | { skipped: string };

async function api(base: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${CONSOLE_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

interface OpsAnswer {
  syncJobs: { pending: number; processing: number; completedLast24h: number };
  nodes: { name: string }[];
}

async function stopEngine(engine: HeadlessProcess): Promise<void> {
  if (engine.child.exitCode !== null || engine.child.signalCode !== null) return;
  engine.child.kill('SIGTERM');
  const stopped = await Promise.race([engine.exited.then(() => true), sleep(20_000).then(() => false)]);
  if (!stopped) {
    engine.child.kill('SIGKILL');
    await engine.exited;
  }
}

async function oneRun(cluster: PgCluster, config: BenchConfig, run: number): Promise<TeamE2eRun> {
  const e = config.team.e2e;
  const load1 = loadNow().load1;
  const databaseUrl = await cluster.createDatabase(`bench_team_e2e_${run}`);
  const fake = new BenchChild<FakeSummary>(
    'e2e.fake',
    {
      apiKey: API_KEY,
      latencyMs: e.latencyMs,
      perMinute: e.ratePerMin,
      burst: e.fakeBurst,
      dedupe: false,
      arrivals: true,
    } satisfies FakeIcimsParams,
    1_800_000,
  );
  const ready = await fake.next('ready');
  const teamKey = randomBytes(32).toString('base64');
  const dirs: string[] = [];
  const engines: HeadlessProcess[] = [];
  let t0 = 0;
  let last: OpsAnswer | null = null;
  try {
    for (let k = 0; k < e.engines; k += 1) {
      const dir = mkdtempSync(join(tmpdir(), `bench-team-e2e-${k + 1}-`));
      dirs.push(dir);
      engines.push(
        startHeadless(
          {
            ICIMS_MODE: 'real',
            ICIMS_BASE_URL: String(ready.url),
            ICIMS_API_KEY: API_KEY,
            ICIMS_RATE_LIMIT_PER_MIN: String(e.ratePerMin),
            ICIMS_MAX_CONCURRENCY: String(e.concurrency),
            ICIMS_DAILY_LIMIT: String(Math.max(10_000, e.events * 4)),
            CONSOLE_HTTP_HOST: '127.0.0.1',
            CONSOLE_HTTP_PORT: '0',
            CONSOLE_API_TOKEN: CONSOLE_TOKEN,
            CONSOLE_DATA_DIR: dir,
            SYNC_DATABASE_URL: databaseUrl,
            SYNC_NODE_NAME: `bench-engine-${k + 1}`,
            SYNC_TEAM_KEY: teamKey,
          },
          dir,
        ),
      );
    }
    const urls = await Promise.all(engines.map((engine) => engine.url(180_000)));

    // The scheduling system posts to whichever engine it reaches: batches go round all of them.
    const events = variedEvents(e.events, `team-e2e${run}-${Date.now().toString(36)}`);
    t0 = Date.now();
    for (let i = 0, b = 0; i < events.length; i += e.ingestBatch, b += 1) {
      const answer = await api(urls[b % urls.length]!, '/api/events', events.slice(i, i + e.ingestBatch));
      if (answer.status !== 202)
        throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }

    // At the limit the run takes ~events ÷ rate minutes; allow twice that and some.
    const deadline = Date.now() + 120_000 + (2 * 60_000 * e.events) / e.ratePerMin;
    let told = Date.now();
    for (;;) {
      last = (await api(urls[0]!, '/api/ops/icims')).body as OpsAnswer;
      if (last.syncJobs.pending === 0 && last.syncJobs.processing === 0) break;
      if (Date.now() > deadline) throw new Error(`team end to end stuck: ${JSON.stringify(last.syncJobs)}`);
      if (Date.now() - told >= 30_000) {
        told = Date.now();
        progress(
          `  ${fmt((told - t0) / 1000)} s: ${fmt(last.syncJobs.completedLast24h)} of ${fmt(e.events)} jobs completed`,
        );
      }
      await sleep(500);
    }
  } catch (error) {
    for (const engine of engines) {
      const err = engine.stderr().trim();
      if (err) progress(`  engine stderr: ${err.slice(-2000)}`);
    }
    throw error;
  } finally {
    await Promise.all(engines.map(stopEngine));
    fake.send({ type: 'close' });
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  if (!last) throw new Error('team end to end: no ops answer');
  const { noteArrivals = [], ...summary } = (await fake.result()).result;
  const steady = steadyRate(noteArrivals, e.ratePerMin);
  const lastNote = noteArrivals[noteArrivals.length - 1] ?? t0;
  const elapsedMs = lastNote - t0;
  return {
    achievedRatio: steady ? steady.perMinute / e.ratePerMin : Number.NaN,
    achievedPerMin: steady?.perMinute ?? Number.NaN,
    meanSpanMs: steady?.meanSpanMs ?? Number.NaN,
    minSpanMs: steady?.minSpanMs ?? Number.NaN,
    spans: steady?.spans ?? 0,
    fromNote: steady?.fromNote ?? 0,
    wholeRunRatio: (noteArrivals.length * 60_000) / elapsedMs / e.ratePerMin,
    elapsedMs,
    completed: last.syncJobs.completedLast24h,
    nodes: last.nodes.map((node) => node.name).sort(),
    fake: summary,
    notesPer10s: per10s(noteArrivals),
    load1,
  };
}

/**
 * The team end to end: `engines` headless engine processes (`npm run headless` through tsx, as
 * test/team/team-engines.test.ts runs them) on one fresh database of the team group's cluster,
 * writing every event as a note to a fake iCIMS in its own process that enforces the account's
 * limit (a bucket of `ratePerMin` with a burst of a whole minute: `ratePerMin` in any rolling
 * minute) and stores every POST (no deduplication, so a note sent twice shows). The events go to
 * the engines' `POST /api/events` in turn.
 */
export async function teamE2eSuite(cluster: PgCluster, config: BenchConfig): Promise<TeamE2eResult> {
  const e = config.team.e2e;
  if (e.events === 0) {
    progress('team end to end: skipped (BENCH_TEAM_E2E_EVENTS=0)');
    return { skipped: 'BENCH_TEAM_E2E_EVENTS=0' };
  }
  const runs: TeamE2eRun[] = [];
  for (let run = 0; run < e.runs; run += 1) {
    progress(
      `team end to end run ${run + 1}/${e.runs}: ${e.engines} engine processes, ${fmt(e.events)} events, ` +
        `${fmt(e.ratePerMin)}/min at the fake, concurrency ${e.concurrency} each, ${e.latencyMs} ms latency (${fmt(Math.max(0, Math.ceil(e.events / e.ratePerMin) - 1) * 61)} s or more)…`,
    );
    const r = await oneRun(cluster, config, run);
    runs.push(r);
    progress(
      `  ${fmt(r.achievedPerMin)}/min of ${fmt(e.ratePerMin)}/min in the steady state (${fmt(r.achievedRatio * 100, 1)} %, ` +
        `mean ${fmt(r.meanSpanMs)} ms from a note to the one ${fmt(e.ratePerMin)} later, shortest ${fmt(r.minSpanMs)} ms, over ${fmt(r.spans)} notes); ` +
        `whole run ${fmt(r.wholeRunRatio, 3)} × the limit; 429s ${r.fake.http429}, duplicates ${r.fake.contentDuplicates + r.fake.keyRepeats}, ` +
        `notes ${r.fake.distinctNotes}, busiest minute at the fake ${r.fake.busiestMinute}, engines ${r.nodes.join(', ')}`,
    );
  }
  const ratio = figure(runs.map((r) => r.achievedRatio));
  return {
    events: e.events,
    engines: e.engines,
    achieved_ratio: ratio.median,
    achieved_per_min: figure(runs.map((r) => r.achievedPerMin)).median,
    allowed_per_min: e.ratePerMin,
    http_429: Math.max(...runs.map((r) => r.fake.http429)),
    duplicates: Math.max(...runs.map((r) => r.fake.contentDuplicates + r.fake.keyRepeats)),
    distinct_notes: Math.min(...runs.map((r) => r.fake.distinctNotes)),
    busiest_minute: Math.max(...runs.map((r) => r.fake.busiestMinute)),
    setup: {
      engines: e.engines,
      concurrencyPerEngine: e.concurrency,
      latencyMs: e.latencyMs,
      ratePerMin: e.ratePerMin,
      fakeBurst: e.fakeBurst,
      dedupe: false,
    },
    figures: {
      achievedRatio: ratio,
      wholeRunRatio: figure(runs.map((r) => r.wholeRunRatio)),
      meanSpanMs: figure(runs.map((r) => round(r.meanSpanMs))),
      elapsedMs: figure(runs.map((r) => r.elapsedMs)),
    },
    runs,
  };
}
