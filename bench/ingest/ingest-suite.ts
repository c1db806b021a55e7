import type { BenchConfig } from '../bench-config';
import { runChild } from '../child-process';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure } from '../stats';
import type { Figure } from '../stats';
import type { IngestResult } from './ingest-http-task';

export interface IngestSection {
  events_per_s: number;
  events: number;
  batch: number;
  figures: { eventsPerSec: Figure; maxRequestMs: Figure };
  load1PerRun: number[];
}

export async function ingestSuite(config: BenchConfig): Promise<IngestSection> {
  const { events, batch } = config.ingest;
  const results: IngestResult[] = [];
  const load1PerRun: number[] = [];
  for (let run = 0; run < config.runs; run += 1) {
    load1PerRun.push(loadNow().load1);
    progress(`ingest run ${run + 1}/${config.runs}: ${fmt(events)} events in POSTs of ${batch}…`);
    const outcome = await runChild<IngestResult>('ingest', { events, batch, runTag: `ingest${run}-${Date.now().toString(36)}` });
    results.push(outcome.result);
    progress(`  ${fmt(outcome.result.eventsPerSec)} events/s (slowest POST ${fmt(outcome.result.maxRequestMs, 1)} ms)`);
  }
  const eventsPerSec = figure(results.map((r) => r.eventsPerSec));
  return { events_per_s: eventsPerSec.median, events, batch, figures: { eventsPerSec, maxRequestMs: figure(results.map((r) => r.maxRequestMs)) }, load1PerRun };
}
