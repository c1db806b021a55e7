import type { E2eSection } from './e2e/e2e-suite';
import type { IngestSection } from './ingest/ingest-suite';
import type { OpsSection } from './ops/ops-suite';
import type { QueueSection } from './queue/queue-suite';
import type { TeamSection } from './team/team-suite';

export interface TargetCheck {
  name: string;
  target: string;
  value: number;
  met: boolean;
}

export interface Sections {
  queue?: QueueSection;
  e2e?: E2eSection;
  ingest?: IngestSection;
  ops?: OpsSection;
  team?: TeamSection;
  memory?: { peak_rss_mb: number };
}

/** The brief's targets (medians on this machine), checked against what this run measured. */
export function checkTargets(s: Sections): TargetCheck[] {
  const out: TargetCheck[] = [];
  const at = (name: string, target: string, value: number | undefined, met: (v: number) => boolean) => {
    if (value !== undefined) out.push({ name, target, value, met: met(value) });
  };
  const q = s.queue;
  at('queue: engine jobs/s', '≥ 20,000', q?.engine_jobs_per_s, (v) => v >= 20_000);
  at('queue: engine ÷ floor (same SQL)', '≥ 0.5', q?.ratios.engine_vs_floor, (v) => v >= 0.5);
  at('queue: engine ÷ plainjob', '> 1', q?.ratios.engine_vs_plainjob, (v) => v > 1);
  at('queue: engine ÷ liteque', '> 1', q?.ratios.engine_vs_liteque, (v) => v > 1);
  at('e2e: achieved ÷ allowed rate', '≥ 0.98', s.e2e?.achieved_ratio, (v) => v >= 0.98);
  at('e2e: 429s (worst run)', '= 0', s.e2e?.http_429, (v) => v === 0);
  at('e2e: duplicate notes (worst run)', '= 0', s.e2e?.duplicates, (v) => v === 0);
  if (s.e2e) at('e2e: distinct notes (fewest)', `= ${s.e2e.events}`, s.e2e.distinct_notes, (v) => v === s.e2e!.events);
  at('e2e: in-doubt duplicates (worst run)', '= 0', s.e2e?.indoubt_duplicates, (v) => v === 0);
  at('ingest: events/s', '≥ 20,000', s.ingest?.events_per_s, (v) => v >= 20_000);
  at('ops: snapshot p95 ms', '≤ 50', s.ops?.snapshot_p95_ms, (v) => v <= 50);
  at('ops: 24 h latency series p95 ms', '≤ 50', s.ops?.series_p95_ms, (v) => v <= 50);
  at('ops: jobs search p95 ms', '≤ 20', s.ops?.jobs_search_p95_ms, (v) => v <= 20);
  const team = s.team && !('skipped' in s.team) ? s.team : undefined;
  // team: engine (4 processes) ahead of pg-boss and graphile-worker.
  // A row left out with BENCH_TEAM_CONTENDERS has no ratio (NaN): no target line for it.
  const measured = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? undefined : v);
  at('team: engine (4 processes) ÷ pg-boss', '> 1', measured(team?.ratios.engine4_vs_pgboss), (v) => v > 1);
  at('team: engine (4 processes) ÷ graphile-worker', '> 1', measured(team?.ratios.engine4_vs_graphile), (v) => v > 1);
  // team end to end: 3 engine processes share the account's limit at the fake.
  const e2e = team && !('skipped' in team.e2e) ? team.e2e : undefined;
  at(
    'team e2e: achieved ÷ allowed rate (steady state)',
    '≥ 0.98',
    measured(team?.e2e_achieved_ratio),
    (v) => v >= 0.98,
  );
  at('team e2e: 429s (worst run)', '= 0', team?.e2e_http_429, (v) => v === 0);
  at('team e2e: duplicate notes (worst run)', '= 0', team?.e2e_duplicates, (v) => v === 0);
  if (e2e) {
    at('team e2e: distinct notes (fewest)', `= ${e2e.events}`, e2e.distinct_notes, (v) => v === e2e.events);
    at(
      'team e2e: busiest minute at the fake (worst run)',
      `≤ ${e2e.allowed_per_min}`,
      e2e.busiest_minute,
      (v) => v <= e2e.allowed_per_min,
    );
  }
  at('memory: engine peak RSS MB', '≤ 200', s.memory?.peak_rss_mb, (v) => v <= 200);
  return out;
}
