import type { ApiCallSink } from '../icims/icims-client';
import type { Logger } from '../logger';
import { addToMinute, storedCall } from '../ops/api-call-repository';
import type { ApiCallInput, CallLog, CallReads } from '../ops/api-call-repository';
import { CALL_KIND } from '../ops/call-classification';
import {
  pgCallsSinceMinute,
  pgCallTotals,
  pgLastCallTimes,
  pgNthCallSince,
  pgReadBackCallsSince,
} from '../ops/call-metrics';
import type { CallTotals } from '../ops/call-metrics';
import { addEncodedHistogram, encodeHistogram } from '../ops/latency-histogram';
import { pgLatencySeries } from '../ops/latency-series';
import { pgRecentFailures } from '../ops/recent-failures';
import { isConnectionLost } from './pg-connection';
import type { TeamDatabase } from './pg-connection';

/**
 * The team's call log: every engine writes its iCIMS calls into the team database's `api_calls`
 * (with its name in `node`) and their minute into `api_call_minutes`, so the Dashboard's call
 * metrics — success rate, latency chart, recent failures, the 24 h figures — are the team's in
 * every console, as the queue counts are. The same rows and rollup as ApiCallRepository keeps in
 * SQLite; the reads are the `pg…` side of ops/call-metrics.ts, latency-series.ts and
 * recent-failures.ts.
 *
 * `record` is on the client's hot path: calls are buffered and written every `flushIntervalMs` in
 * one transaction (the rows in one statement). Engines add to the same minute rows concurrently:
 * the minutes are created first (ON CONFLICT DO NOTHING), then locked in ascending order, so two
 * engines never deadlock and no engine's histogram is overwritten by another's. While the
 * database is away the calls wait in the buffer (up to `maxBuffered`, the oldest dropped past
 * that, logged) and are written when it is back; any other write error drops the batch, logged:
 * metrics must never take the sync down. A call's `at` is the engine's clock, as in SQLite (the
 * figures are per minute; the rate limits themselves are counted on the database's clock).
 */
export interface TeamCallLogOptions {
  node: string;
  logger: Logger;
  flushIntervalMs?: number;
  /** Calls kept while the database is away. */
  maxBuffered?: number;
}

const PG_INSERT_CALLS = `
  INSERT INTO api_calls (at, node, operation, status_code, outcome, kind, latency_ms, rate_limited,
                         error_code, error_message, application_id, job_id)
  SELECT c.at, $1, c.operation, c.status_code, c.outcome, c.kind, c.latency_ms, c.rate_limited,
         c.error_code, c.error_message, c.application_id, c.job_id
    FROM unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[], $8::boolean[],
                $9::text[], $10::text[], $11::text[], $12::bigint[])
      AS c(at, operation, status_code, outcome, kind, latency_ms, rate_limited, error_code, error_message,
           application_id, job_id)`;

const PG_CREATE_MINUTES = `
  INSERT INTO api_call_minutes (minute, calls, successes, failures, health_failures, rate_limited, data_errors,
                                latency_sum, histogram)
  SELECT m, 0, 0, 0, 0, 0, 0, 0, '\\x'::bytea FROM unnest($1::bigint[]) AS m ORDER BY m
  ON CONFLICT (minute) DO NOTHING`;

const PG_LOCK_MINUTES = `
  SELECT minute::float8 AS minute, histogram FROM api_call_minutes
   WHERE minute = ANY($1::bigint[]) ORDER BY minute FOR UPDATE`;

// LEAST ignores NULLs: the earliest failure of the minute, whichever engine saw it.
const PG_ADD_TO_MINUTES = `
  UPDATE api_call_minutes m
     SET calls = m.calls + u.calls, successes = m.successes + u.successes, failures = m.failures + u.failures,
         health_failures = m.health_failures + u.health_failures, rate_limited = m.rate_limited + u.rate_limited,
         data_errors = m.data_errors + u.data_errors, latency_sum = m.latency_sum + u.latency_sum,
         first_health_failure_at = least(m.first_health_failure_at, u.first_health_failure_at),
         first_rate_limited_at = least(m.first_rate_limited_at, u.first_rate_limited_at),
         histogram = u.histogram
    FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bigint[],
                $9::bigint[], $10::bigint[], $11::bytea[])
      AS u(minute, calls, successes, failures, health_failures, rate_limited, data_errors, latency_sum,
           first_health_failure_at, first_rate_limited_at, histogram)
   WHERE m.minute = u.minute`;

export class TeamCallLog implements ApiCallSink, CallLog {
  private buffer: ApiCallInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly reads: CallReads;

  constructor(
    private readonly db: TeamDatabase,
    private readonly options: TeamCallLogOptions,
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.maxBuffered = options.maxBuffered ?? 20_000;
    this.reads = {
      totals: (from) => pgCallTotals(db, from),
      lastCallTimes: () => pgLastCallTimes(db),
      callsSinceMinute: (minuteStart) => pgCallsSinceMinute(db, minuteStart),
      readBackCallsSince: (since) => pgReadBackCallsSince(db, since),
      nthCallSince: (since, n) => pgNthCallSince(db, since, n),
      recentFailures: (limit) => pgRecentFailures(db, limit),
      latencySeries: (query) => pgLatencySeries(db, query),
    };
  }

  record(call: ApiCallInput): void {
    this.buffer.push(call);
    if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes what is buffered (after any write under way). Never rejects. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.writing = this.writing.then(() => this.writeBuffered());
    return this.writing;
  }

  /** Every engine's calls, what this one buffered written first. */
  async read(): Promise<CallReads> {
    await this.flush();
    return this.reads;
  }

  /** Writes what is left; later calls are not recorded here. */
  async close(): Promise<void> {
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    if (this.buffer.length === 0) return;
    const calls = this.buffer;
    this.buffer = [];
    try {
      await this.db.transaction(async (client) => {
        const stored = calls.map(storedCall);
        const column = <T>(pick: (call: ApiCallInput, i: number) => T): T[] => calls.map(pick);
        await client.query(PG_INSERT_CALLS, [
          this.options.node,
          stored.map((s) => s.at),
          column((c) => c.operation),
          column((c) => c.statusCode),
          column((c) => c.outcome),
          stored.map((s) => s.kind),
          stored.map((s) => s.latencyMs),
          stored.map((s) => s.kind === CALL_KIND.rateLimited),
          column((c) => c.errorCode),
          stored.map((s) => s.errorMessage),
          column((c) => c.applicationId),
          column((c) => c.jobId ?? null),
        ]);
        const minutes = new Map<number, CallTotals>();
        for (const s of stored) addToMinute(minutes, s.at, s.latencyMs, s.kind);
        const keys = [...minutes.keys()].sort((a, b) => a - b);
        await client.query(PG_CREATE_MINUTES, [keys]);
        const locked = await client.query<{ minute: number; histogram: Buffer }>(PG_LOCK_MINUTES, [keys]);
        for (const row of locked.rows) addEncodedHistogram(minutes.get(row.minute)!.histogram, row.histogram);
        const totals = keys.map((minute) => minutes.get(minute)!);
        await client.query(PG_ADD_TO_MINUTES, [
          keys,
          totals.map((t) => t.calls),
          totals.map((t) => t.successes),
          totals.map((t) => t.failures),
          totals.map((t) => t.healthFailures),
          totals.map((t) => t.rateLimited),
          totals.map((t) => t.dataErrors),
          totals.map((t) => t.latencySum),
          totals.map((t) => t.firstHealthFailureAt),
          totals.map((t) => t.firstRateLimitedAt),
          totals.map((t) => encodeHistogram(t.histogram)),
        ]);
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!isConnectionLost(error)) {
        this.options.logger.log('error', 'team.api_calls.flush_failed', { calls: calls.length, error: message });
        return;
      }
      // The database is away: keep the calls for when it is back (newest kept past the cap).
      this.buffer = [...calls, ...this.buffer];
      const dropped = this.buffer.length - this.maxBuffered;
      if (dropped > 0) {
        this.buffer = this.buffer.slice(dropped);
        this.options.logger.log('warn', 'team.api_calls.dropped', { calls: dropped, error: message });
      }
      if (this.timer === null) {
        this.timer = setTimeout(() => void this.flush(), Math.max(this.flushIntervalMs, 1000));
        this.timer.unref();
      }
    }
  }
}
