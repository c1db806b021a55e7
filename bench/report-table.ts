import type { BenchConfig } from './bench-config';
import type { MachineInfo } from './machine';
import { fmt } from './progress';
import type { Sections, TargetCheck } from './targets';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns (the first, and a trailing note) read left-aligned; numbers right-aligned.
  const left = (i: number) => i === 0 || (i === headers.length - 1 && headers[i] === 'note');
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const runsOf = (runs: number[], digits = 0) => runs.map((r) => fmt(r, digits)).join(' / ');

/** The run as text tables (stdout), one block per measurement, then the targets. */
export function renderReport(
  config: BenchConfig,
  machine: MachineInfo,
  s: Sections & { baselineRssMb?: number },
  targets: TargetCheck[],
  loadText: string,
): string {
  const out: string[] = [];
  out.push(`iCIMS Sync Console — npm run bench${config.quick ? ' (QUICK: small sizes, not for comparison)' : ''}`);
  out.push(
    `${machine.cpuModel}, ${machine.cores} cores, ${fmt(machine.totalMemoryMb)} MB, Node ${machine.node}; ${config.runs} run(s) per figure; ${loadText}`,
  );
  if (s.queue) {
    const q = s.queue;
    out.push(
      '',
      `1. Queue throughput: no-op jobs, enqueue (batches of ${config.queue.enqueueBatch}) → claim → complete; file DB, WAL, synchronous=NORMAL`,
    );
    const rows = Object.entries(q.figures).map(([key, f]) => [
      f.label,
      fmt(f.backlog),
      fmt(f.median),
      runsOf(f.runs),
      key === 'engine' ? '—' : fmt(q.ratios[`engine_vs_${key}`] ?? Number.NaN, 2),
      f.note ?? '',
    ]);
    out.push(table(['contender', 'backlog', 'jobs/s (median)', 'runs', 'engine ÷ this', 'note'], rows));
    const log = q.log_line_us;
    out.push(
      `The worker logs one job.completed line per job: ${fmt(log.plain.median, 1)} µs through the bare JsonLogger (in the engine figure), ` +
        `${fmt(log.redacting.median, 1)} µs through engine.ts's redacting wrapper (not in it; alone it would cap one core at ${fmt(1e6 / log.redacting.median)} jobs/s).`,
    );
  }
  if (s.e2e) {
    const e = s.e2e;
    out.push(
      '',
      `2. End to end: ${fmt(e.events)} events → notes at the fake iCIMS over HTTP (${e.setup.latencyMs} ms latency, concurrency ${e.setup.concurrency}, ${fmt(e.setup.clientRatePerMin)}/min client limit = fake token bucket, burst ${fmt(e.setup.fakeBurst)})`,
    );
    out.push(
      table(
        ['figure', 'median', 'runs'],
        [
          ['achieved notes/s', fmt(e.achieved_per_s, 1), runsOf(e.figures.achievedPerSec.runs, 1)],
          ['allowed notes/s', fmt(e.allowed_per_s, 1), ''],
          ['achieved ÷ allowed', fmt(e.achieved_ratio, 3), runsOf(e.figures.achievedRatio.runs, 3)],
          [
            'arrivals/s at the fake',
            fmt(e.figures.arrivalPerSecAtFake.median, 1),
            runsOf(e.figures.arrivalPerSecAtFake.runs, 1),
          ],
          ['429s received (worst run)', fmt(e.http_429), runsOf(e.runs.map((r) => r.fake.http429))],
          [
            'duplicate notes (worst run)',
            fmt(e.duplicates),
            runsOf(e.runs.map((r) => r.fake.contentDuplicates + r.fake.keyRepeats)),
          ],
          ['distinct notes stored (fewest)', fmt(e.distinct_notes), runsOf(e.runs.map((r) => r.fake.distinctNotes))],
          [
            `in doubt (${e.indoubt.setup.inDoubtRate * 100} % stored, then late; no dedup): extra notes`,
            fmt(e.indoubt_duplicates),
            runsOf(e.indoubt.runs.map((r) => r.fake.notesStored - e.events)),
          ],
          [
            'in doubt: read-backs per 1,000 notes',
            fmt(e.indoubt_reads_per_1000, 1),
            runsOf(
              e.indoubt.runs.map((r) => (r.fake.readNotesCalls * 1000) / e.events),
              1,
            ),
          ],
        ],
      ),
    );
  }
  if (s.ingest) {
    const i = s.ingest;
    out.push(
      '',
      `3. Ingest: ${fmt(i.events)} varied events through POST /api/events, ${i.batch} per request, real HTTP to the local server`,
    );
    out.push(
      table(
        ['figure', 'median', 'runs'],
        [
          ['events/s', fmt(i.events_per_s), runsOf(i.figures.eventsPerSec.runs)],
          ['slowest POST ms', fmt(i.figures.maxRequestMs.median, 1), runsOf(i.figures.maxRequestMs.runs, 1)],
        ],
      ),
    );
  }
  if (s.ops) {
    const o = s.ops;
    out.push(
      '',
      `4. Ops queries: ${fmt(o.seed.apiCalls)} api_calls over 7 days (${fmt(o.seed.totalCalls24h)} in the last 24 h), ${fmt(o.seed.jobs)} jobs; ${o.samplesPerRun} timed calls per run`,
    );
    const f = o.figures;
    out.push(
      table(
        ['query', 'p50 ms', 'p95 ms (median)', 'p95 runs'],
        [
          [
            'ops snapshot (engine.api.getSnapshot)',
            fmt(o.snapshot_p50_ms, 2),
            fmt(o.snapshot_p95_ms, 2),
            runsOf(f.snapshotP95Ms!.runs, 2),
          ],
          [
            '24 h latency series (p50/p95 per 5 min)',
            fmt(o.series_p50_ms, 2),
            fmt(o.series_p95_ms, 2),
            runsOf(f.seriesP95Ms!.runs, 2),
          ],
          [
            'jobs page, search by application id',
            fmt(o.jobs_search_p50_ms, 3),
            fmt(o.jobs_search_p95_ms, 3),
            runsOf(f.jobsSearchP95Ms!.runs, 3),
          ],
        ],
      ),
    );
  }
  if (s.memory) {
    out.push('', '5. Memory: peak RSS (getrusage maxrss) of the engine process');
    const rows = [
      ['engine, queue throughput (1)', s.queue ? fmt(s.queue.engine_peak_rss_mb, 1) : '—'],
      ['engine, end to end (2)', s.e2e ? fmt(s.e2e.engine_peak_rss_mb, 1) : '—'],
      ['peak of the two', fmt(s.memory.peak_rss_mb, 1)],
    ];
    if (s.baselineRssMb !== undefined)
      rows.push(['an empty bench child (node + tsx), for scale', fmt(s.baselineRssMb, 1)]);
    out.push(table(['process', 'MB'], rows));
  }
  if (s.team) {
    out.push(
      '',
      '6. Team queue on PostgreSQL: no-op jobs, claim → complete in worker processes, one throwaway cluster (fsync off)',
    );
    if ('skipped' in s.team) out.push(`skipped: ${s.team.skipped}`);
    else {
      const t = s.team;
      const rows = Object.entries(t.figures).map(([key, f]) => [
        f.label,
        fmt(f.median),
        runsOf(f.runs),
        key === 'pgboss'
          ? fmt(t.ratios.engine4_vs_pgboss, 2)
          : key === 'graphile'
            ? fmt(t.ratios.engine4_vs_graphile, 2)
            : '—',
        runsOf(f.fewestJobsInAProcess),
      ]);
      out.push(
        `${fmt(t.jobs)} jobs stored before the clock starts (each contender's bulk API); timed from one start signal to the last process finding nothing left. PostgreSQL ${t.setup.postgres}.`,
      );
      if (rows.length > 0)
        out.push(
          table(['contender', 'jobs/s (median)', 'runs', 'engine (4) ÷ this', 'fewest jobs in one process'], rows),
        );
      else out.push('(queue rows skipped: BENCH_TEAM_CONTENDERS=none)');
      const e = t.e2e;
      if ('skipped' in e) out.push('', `Team end to end: skipped (${e.skipped})`);
      else {
        out.push(
          '',
          `Team end to end: ${e.engines} engine processes (headless, one database), ${fmt(e.events)} events → notes at the fake iCIMS (${e.setup.latencyMs} ms latency, ` +
            `${e.setup.fakeBurst >= e.allowed_per_min ? `${fmt(e.allowed_per_min)}/min in any rolling minute: ` : ''}bucket of ${fmt(e.allowed_per_min)}/min with burst ${fmt(e.setup.fakeBurst)}; no deduplication), ` +
            `concurrency ${e.setup.concurrencyPerEngine} per engine`,
        );
        const runs = e.runs;
        out.push(
          table(
            ['figure', 'median / worst', 'runs'],
            [
              ['achieved notes/min (steady state)', fmt(e.achieved_per_min), runsOf(runs.map((r) => r.achievedPerMin))],
              ['allowed notes/min', fmt(e.allowed_per_min), ''],
              ['achieved ÷ allowed (steady state)', fmt(e.achieved_ratio, 3), runsOf(e.figures.achievedRatio.runs, 3)],
              [
                `mean ms from a note to the note ${fmt(e.allowed_per_min)} later`,
                fmt(e.figures.meanSpanMs.median),
                runsOf(e.figures.meanSpanMs.runs),
              ],
              ['shortest such span ms (≥ 60,000 = never over the limit)', '', runsOf(runs.map((r) => r.minSpanMs))],
              [
                'whole run: notes ÷ (first ingest → last note) ÷ limit',
                fmt(e.figures.wholeRunRatio.median, 3),
                runsOf(e.figures.wholeRunRatio.runs, 3),
              ],
              [
                'busiest minute at the fake (worst run)',
                fmt(e.busiest_minute),
                runsOf(runs.map((r) => r.fake.busiestMinute)),
              ],
              ['429s received (worst run)', fmt(e.http_429), runsOf(runs.map((r) => r.fake.http429))],
              [
                'duplicate notes (worst run)',
                fmt(e.duplicates),
                runsOf(runs.map((r) => r.fake.contentDuplicates + r.fake.keyRepeats)),
              ],
              ['distinct notes stored (fewest)', fmt(e.distinct_notes), runsOf(runs.map((r) => r.fake.distinctNotes))],
            ],
          ),
        );
        out.push(`Notes per 10 s at the fake, first run: ${runs[0]?.notesPer10s.join(' ') ?? '—'}`);
      }
    }
  }
  out.push('', 'Targets');
  const shown = (v: number) => fmt(v, Number.isInteger(v) ? 0 : v < 10 ? 3 : 0);
  out.push(
    table(
      ['target', 'wanted', 'measured', ''],
      targets.map((t) => [t.name, t.target, shown(t.value), t.met ? 'met' : 'MISSED']),
    ),
  );
  return `${out.join('\n')}\n`;
}
