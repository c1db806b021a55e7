import type { BenchConfig } from '../bench-config';
import { BenchChild } from '../child-process';
import { loadNow } from '../machine';
import { fmt, progress } from '../progress';
import { figure } from '../stats';
import type { Figure } from '../stats';
import { postEvents } from './ingest-client';
import type { IngestClientResult } from './ingest-client';
import type { IngestServerResult } from './ingest-http-task';

export interface IngestSection {
  events_per_s: number;
  events: number;
  batch: number;
  figures: { eventsPerSec: Figure; maxRequestMs: Figure };
  load1PerRun: number[];
}

export async function ingestSuite(config: BenchConfig): Promise<IngestSection> {
  const { events, batch } = config.ingest;
  const results: IngestClientResult[] = [];
  const load1PerRun: number[] = [];
  for (let run = 0; run < config.runs; run += 1) {
    load1PerRun.push(loadNow().load1);
    progress(`ingest run ${run + 1}/${config.runs}: ${fmt(events)} events in POSTs of ${batch}…`);
    const server = new BenchChild<IngestServerResult>('ingest.server', {}, 600_000);
    const ready = await server.next('ready');
    let result: IngestClientResult;
    try {
      result = await postEvents(String(ready.url), String(ready.token), {
        events,
        batch,
        runTag: `ingest${run}-${Date.now().toString(36)}`,
      });
    } finally {
      server.send({ type: 'close' });
    }
    const stored = (await server.result()).result.jobsStored;
    if (stored !== events + batch) throw new Error(`the server stored ${stored} jobs, expected ${events + batch}`);
    results.push(result);
    progress(`  ${fmt(result.eventsPerSec)} events/s (slowest POST ${fmt(result.maxRequestMs, 1)} ms)`);
  }
  const eventsPerSec = figure(results.map((r) => r.eventsPerSec));
  return {
    events_per_s: eventsPerSec.median,
    events,
    batch,
    figures: { eventsPerSec, maxRequestMs: figure(results.map((r) => r.maxRequestMs)) },
    load1PerRun,
  };
}
