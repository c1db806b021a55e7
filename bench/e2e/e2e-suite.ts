import type { BenchConfig } from '../bench-config';
import { BenchChild, runChild } from '../child-process';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure, round } from '../stats';
import type { Figure } from '../stats';
import type { EngineWritesResult } from './engine-writes-task';
import type { FakeSummary } from './fake-icims-task';

const API_KEY = 'bench-icims-api-key-0123456789';

export interface E2eSection {
  achieved_ratio: number;
  achieved_per_s: number;
  allowed_per_s: number;
  /** The worst run: every run must have none. */
  http_429: number;
  duplicates: number;
  /** The fewest distinct notes any run left at the fake (must equal `events`). */
  distinct_notes: number;
  events: number;
  engine_peak_rss_mb: number;
  setup: {
    latencyMs: number;
    concurrency: number;
    clientRatePerMin: number;
    fakeRatePerMin: number;
    fakeBurst: number;
  };
  figures: { achievedRatio: Figure; achievedPerSec: Figure; arrivalPerSecAtFake: Figure; elapsedMs: Figure };
  runs: { engine: EngineWritesResult; fake: FakeSummary; maxRssMb: number; load1: number }[];
  /** Notes stored beyond one per event against the non-deduplicating fake (must be 0). */
  indoubt_duplicates: number;
  /** Read-back calls per 1,000 notes in that row: what in-doubt writes cost. */
  indoubt_reads_per_1000: number;
  indoubt: {
    setup: { inDoubtRate: number; lateMs: number; timeoutMs: number; backoffMs: number };
    runs: { engine: EngineWritesResult; fake: FakeSummary }[];
  };
}

/** The in-doubt row: 5 % of note POSTs are stored, then answered after the client has given up. */
const IN_DOUBT = { inDoubtRate: 0.05, lateMs: 1500, timeoutMs: 1000, backoffMs: 1000 };

async function oneRun(
  config: BenchConfig,
  run: number,
  inDoubt: boolean,
): Promise<{ engine: EngineWritesResult; fake: FakeSummary; maxRssMb: number }> {
  const e = config.e2e;
  const fake = new BenchChild<FakeSummary>(
    'e2e.fake',
    {
      apiKey: API_KEY,
      latencyMs: e.latencyMs,
      perMinute: e.ratePerMin,
      burst: e.fakeBurst,
      ...(inDoubt ? { inDoubt: { rate: IN_DOUBT.inDoubtRate, lateMs: IN_DOUBT.lateMs } } : {}),
    },
    900_000,
  );
  const ready = await fake.next('ready');
  let engine;
  try {
    engine = await runChild<EngineWritesResult>('e2e.engine', {
      url: ready.url,
      apiKey: API_KEY,
      events: e.events,
      ingestBatch: e.ingestBatch,
      ratePerMin: e.ratePerMin,
      concurrency: e.concurrency,
      runTag: `e2e${inDoubt ? '-indoubt' : ''}${run}-${Date.now().toString(36)}`,
      ...(inDoubt
        ? {
            env: {
              ICIMS_TIMEOUT_MS: String(IN_DOUBT.timeoutMs),
              SYNC_BACKOFF_MS: String(IN_DOUBT.backoffMs),
              ICIMS_CIRCUIT_THRESHOLD: '1000',
            },
          }
        : {}),
    });
  } finally {
    fake.send({ type: 'close' });
  }
  const summary = (await fake.result()).result;
  return { engine: engine.result, fake: summary, maxRssMb: engine.maxRssMb };
}

/**
 * Each run: a fresh fake iCIMS process (latency, token bucket at the client's rate) and a fresh
 * engine process writing `events` notes to it; the fake's records decide 429s and duplicates.
 */
export async function e2eSuite(config: BenchConfig): Promise<E2eSection> {
  const e = config.e2e;
  const runs: E2eSection['runs'] = [];
  for (let run = 0; run < config.runs; run += 1) {
    const load1 = loadNow().load1;
    progress(
      `e2e run ${run + 1}/${config.runs}: ${fmt(e.events)} events, ${e.latencyMs} ms latency, ${fmt(e.ratePerMin)}/min, concurrency ${e.concurrency}…`,
    );
    const { engine, fake: summary, maxRssMb } = await oneRun(config, run, false);
    runs.push({ engine, fake: summary, maxRssMb, load1 });
    progress(
      `  ${fmt(engine.achievedPerSec, 1)}/s of ${fmt(engine.allowedPerSec, 1)}/s allowed (${fmt(engine.achievedRatio * 100, 1)} %), ` +
        `429s ${summary.http429}, duplicates ${summary.contentDuplicates + summary.keyRepeats}, notes ${summary.distinctNotes}, peak RSS ${maxRssMb} MB`,
    );
  }
  const inDoubtRuns: E2eSection['indoubt']['runs'] = [];
  for (let run = 0; run < config.runs; run += 1) {
    progress(
      `e2e in-doubt run ${run + 1}/${config.runs}: ${fmt(e.events)} events, ${IN_DOUBT.inDoubtRate * 100} % of POSTs stored then answered after the client's ${IN_DOUBT.timeoutMs} ms timeout, no deduplication…`,
    );
    const { engine, fake: summary } = await oneRun(config, run, true);
    inDoubtRuns.push({ engine, fake: summary });
    progress(
      `  notes ${summary.notesStored} for ${fmt(e.events)} events, read-backs ${summary.readNotesCalls}, ${fmt(engine.achievedPerSec, 1)}/s`,
    );
  }
  const ratio = figure(runs.map((r) => r.engine.achievedRatio));
  const perSec = figure(runs.map((r) => r.engine.achievedPerSec));
  return {
    achieved_ratio: ratio.median,
    achieved_per_s: perSec.median,
    allowed_per_s: round(e.ratePerMin / 60),
    http_429: Math.max(...runs.map((r) => r.fake.http429)),
    duplicates: Math.max(...runs.map((r) => r.fake.contentDuplicates + r.fake.keyRepeats)),
    distinct_notes: Math.min(...runs.map((r) => r.fake.distinctNotes)),
    events: e.events,
    engine_peak_rss_mb: Math.max(...runs.map((r) => r.maxRssMb)),
    setup: {
      latencyMs: e.latencyMs,
      concurrency: e.concurrency,
      clientRatePerMin: e.ratePerMin,
      fakeRatePerMin: e.ratePerMin,
      fakeBurst: e.fakeBurst,
    },
    figures: {
      achievedRatio: ratio,
      achievedPerSec: perSec,
      arrivalPerSecAtFake: figure(runs.map((r) => r.fake.arrivalPerSec)),
      elapsedMs: figure(runs.map((r) => r.engine.elapsedMs)),
    },
    runs,
    indoubt_duplicates: Math.max(...inDoubtRuns.map((r) => r.fake.notesStored - e.events)),
    indoubt_reads_per_1000: figure(inDoubtRuns.map((r) => (r.fake.readNotesCalls * 1000) / e.events)).median,
    indoubt: { setup: IN_DOUBT, runs: inDoubtRuns },
  };
}
