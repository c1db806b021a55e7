import type { Database } from 'better-sqlite3';
import { perDatabase } from '../sync/per-database';
import type { TeamDatabase } from '../team/pg-connection';
import { CALL_KIND } from './call-classification';
import type { CallKind } from './call-classification';
import { addEncodedHistogram, addLatency, emptyHistogram } from './latency-histogram';
import type { Histogram } from './latency-histogram';

const MINUTE_MS = 60_000;

/*
 * Reads of the recorded calls as they are in the database, SQLite (this console's calls) and
 * PostgreSQL (team mode: every engine's calls, team/team-call-log.ts) side by side. They see no
 * buffered call: read through `ApiCallRepository.read()` / `TeamCallLog.read()`, which write
 * their buffer first.
 *
 * What differs: the same tables and rollup on both; PostgreSQL returns bigint as text (so every
 * count and time is cast or converted), has no INDEXED BY (its planner picks the partial index
 * `api_calls_read_backs` from the predicate), and each read is a round trip, so a totals read
 * fetches the rollup and the partial minute's raw rows in one statement.
 */

/** Totals of the calls made in a time window (see call-classification.ts for the classes). */
export interface CallTotals {
  calls: number;
  successes: number;
  /** Every call that did not succeed: health failures + rate limited + data errors. */
  failures: number;
  healthFailures: number;
  rateLimited: number;
  dataErrors: number;
  latencySum: number;
  histogram: Histogram;
  firstHealthFailureAt: number | null;
  firstRateLimitedAt: number | null;
}

interface MinuteRow {
  calls: number;
  successes: number;
  failures: number;
  health_failures: number;
  rate_limited: number;
  data_errors: number;
  latency_sum: number;
  first_health_failure_at: number | null;
  first_rate_limited_at: number | null;
  histogram: Buffer;
}

interface RawRow {
  at: number;
  kind: CallKind;
  latency_ms: number;
}

const MINUTE_COLUMNS = `calls, successes, failures, health_failures, rate_limited, data_errors, latency_sum,
            first_health_failure_at, first_rate_limited_at, histogram`;

const statements = perDatabase((db) => ({
  minutes: db.prepare<[number], MinuteRow>(`SELECT ${MINUTE_COLUMNS} FROM api_call_minutes WHERE minute >= ?`),
  raw: db.prepare<[number, number], RawRow>('SELECT at, kind, latency_ms FROM api_calls WHERE at >= ? AND at < ?'),
  lastOf: db.prepare<[string], number | null>('SELECT max(at) FROM api_calls WHERE outcome = ?').pluck(),
  minutesSince: db
    .prepare<[number], number | null>('SELECT sum(calls) FROM api_call_minutes WHERE minute >= ?')
    .pluck(),
  readBacksSince: db
    .prepare<[number], number>(
      "SELECT count(*) FROM api_calls INDEXED BY api_calls_read_backs WHERE operation = 'readNotes' AND at >= ?",
    )
    .pluck(),
  nthSince: db
    .prepare<[number, number], number>('SELECT at FROM api_calls WHERE at >= ? ORDER BY at LIMIT 1 OFFSET ?')
    .pluck(),
}));

/** The rollup's whole minutes from $2 on, and the raw calls of [$1, $2): one round trip. */
const PG_TOTALS = `
  SELECT 'minute' AS row, ${MINUTE_COLUMNS}, NULL::bigint AS at, NULL::int AS kind, NULL::int AS latency_ms
    FROM api_call_minutes WHERE minute >= $2
  UNION ALL
  SELECT 'call', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, at, kind, latency_ms
    FROM api_calls WHERE at >= $1 AND at < $2`;
const PG_LAST_CALLS = `
  SELECT (SELECT max(at) FROM api_calls WHERE outcome = 'success') AS success,
         (SELECT max(at) FROM api_calls WHERE outcome = 'failure') AS failure`;
const PG_CALLS_SINCE_MINUTE = 'SELECT coalesce(sum(calls), 0)::float8 AS n FROM api_call_minutes WHERE minute >= $1';
const PG_READ_BACKS_SINCE = "SELECT count(*)::int AS n FROM api_calls WHERE operation = 'readNotes' AND at >= $1";
const PG_NTH_CALL_SINCE = 'SELECT at FROM api_calls WHERE at >= $1 ORDER BY at LIMIT 1 OFFSET $2';

type PgTotalsRow = { row: 'minute' | 'call' } & { [K in keyof MinuteRow]: string | number | Buffer | null } & {
  at: string | null;
  kind: number | null;
  latency_ms: number | null;
};

export function emptyTotals(): CallTotals {
  return {
    calls: 0,
    successes: 0,
    failures: 0,
    healthFailures: 0,
    rateLimited: 0,
    dataErrors: 0,
    latencySum: 0,
    histogram: emptyHistogram(),
    firstHealthFailureAt: null,
    firstRateLimitedAt: null,
  };
}

/**
 * Exact totals of the calls made at or after `from` ("the last 24 hours", "the last 15
 * minutes": the window is open towards now, so a burst recorded this very minute costs nothing
 * extra). Whole minutes come from the rollup (at most 1,441 rows a day); only the partial minute
 * at the start is read from the raw rows, so the numbers equal the recorded calls at any boundary.
 */
export function callTotals(db: Database, from: number): CallTotals {
  const s = statements(db);
  const totals = emptyTotals();
  const firstWhole = Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  if (firstWhole > from)
    for (const row of s.raw.all(from, firstWhole)) addCall(totals, row.at, row.latency_ms, row.kind);
  for (const row of s.minutes.all(firstWhole)) addMinute(totals, row);
  return totals;
}

/** callTotals over the team's calls. */
export async function pgCallTotals(db: TeamDatabase, from: number): Promise<CallTotals> {
  const totals = emptyTotals();
  const firstWhole = Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  for (const row of await db.query<PgTotalsRow>(PG_TOTALS, [from, firstWhole])) {
    if (row.row === 'call') addCall(totals, Number(row.at), row.latency_ms ?? 0, (row.kind ?? 0) as CallKind);
    else
      addMinute(totals, {
        calls: Number(row.calls),
        successes: Number(row.successes),
        failures: Number(row.failures),
        health_failures: Number(row.health_failures),
        rate_limited: Number(row.rate_limited),
        data_errors: Number(row.data_errors),
        latency_sum: Number(row.latency_sum),
        first_health_failure_at: row.first_health_failure_at === null ? null : Number(row.first_health_failure_at),
        first_rate_limited_at: row.first_rate_limited_at === null ? null : Number(row.first_rate_limited_at),
        histogram: row.histogram as Buffer,
      });
  }
  return totals;
}

function addMinute(totals: CallTotals, row: MinuteRow): void {
  totals.calls += row.calls;
  totals.successes += row.successes;
  totals.failures += row.failures;
  totals.healthFailures += row.health_failures;
  totals.rateLimited += row.rate_limited;
  totals.dataErrors += row.data_errors;
  totals.latencySum += row.latency_sum;
  totals.firstHealthFailureAt = earliest(totals.firstHealthFailureAt, row.first_health_failure_at);
  totals.firstRateLimitedAt = earliest(totals.firstRateLimitedAt, row.first_rate_limited_at);
  addEncodedHistogram(totals.histogram, row.histogram);
}

/** Counts one call of the given class into `totals` (the raw rows here, the rollup when recorded). */
export function addCall(totals: CallTotals, at: number, latencyMs: number, kind: CallKind): void {
  totals.calls++;
  totals.latencySum += latencyMs;
  addLatency(totals.histogram, latencyMs);
  if (kind === CALL_KIND.success) {
    totals.successes++;
    return;
  }
  totals.failures++;
  if (kind === CALL_KIND.failure) {
    totals.healthFailures++;
    totals.firstHealthFailureAt = earliest(totals.firstHealthFailureAt, at);
  } else if (kind === CALL_KIND.rateLimited) {
    totals.rateLimited++;
    totals.firstRateLimitedAt = earliest(totals.firstRateLimitedAt, at);
  } else totals.dataErrors++;
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** When the newest successful and failed calls were made (within the 7-day retention). */
export function lastCallTimes(db: Database): { lastSuccessAt: number | null; lastFailureAt: number | null } {
  const s = statements(db);
  return { lastSuccessAt: s.lastOf.get('success') ?? null, lastFailureAt: s.lastOf.get('failure') ?? null };
}

/** lastCallTimes over the team's calls. */
export async function pgLastCallTimes(
  db: TeamDatabase,
): Promise<{ lastSuccessAt: number | null; lastFailureAt: number | null }> {
  const [row] = await db.query<{ success: string | null; failure: string | null }>(PG_LAST_CALLS);
  return { lastSuccessAt: numberOrNull(row?.success), lastFailureAt: numberOrNull(row?.failure) };
}

/** Calls made at or after a minute boundary (e.g. UTC midnight), from the rollup alone. */
export function callsSinceMinute(db: Database, minuteStart: number): number {
  return statements(db).minutesSince.get(minuteOf(minuteStart)) ?? 0;
}

/** callsSinceMinute over the team's calls. */
export async function pgCallsSinceMinute(db: TeamDatabase, minuteStart: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(PG_CALLS_SINCE_MINUTE, [minuteOf(minuteStart)]);
  return row?.n ?? 0;
}

/** Read-backs of in-doubt writes made at or after `since` (a partial index holds only them). */
export function readBackCallsSince(db: Database, since: number): number {
  return statements(db).readBacksSince.get(since) ?? 0;
}

/** readBackCallsSince over the team's calls. */
export async function pgReadBackCallsSince(db: TeamDatabase, since: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(PG_READ_BACKS_SINCE, [since]);
  return row?.n ?? 0;
}

/** The time of the n-th call (1-based) made at or after `since`, or null when fewer were made. */
export function nthCallSince(db: Database, since: number, n: number): number | null {
  if (n < 1) return null;
  return statements(db).nthSince.get(since, n - 1) ?? null;
}

/** nthCallSince over the team's calls. */
export async function pgNthCallSince(db: TeamDatabase, since: number, n: number): Promise<number | null> {
  if (n < 1) return null;
  const [row] = await db.query<{ at: string }>(PG_NTH_CALL_SINCE, [since, n - 1]);
  return numberOrNull(row?.at);
}

const minuteOf = (at: number): number => Math.floor(at / MINUTE_MS) * MINUTE_MS;
const numberOrNull = (value: string | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);
