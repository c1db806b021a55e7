import type { Database, Transaction } from 'better-sqlite3';
import type { LatencySeries, RecentFailure } from '../../../shared/ops-snapshot';
import type { ApiCallRecord, ApiCallSink } from '../icims/icims-client';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { CALL_KIND, classifyCall } from './call-classification';
import type { CallKind } from './call-classification';
import {
  addCall,
  callsSinceMinute,
  callTotals,
  emptyTotals,
  lastCallTimes,
  nthCallSince,
  readBackCallsSince,
} from './call-metrics';
import type { CallTotals } from './call-metrics';
import { recentFailures } from './recent-failures';
import { addEncodedHistogram, encodeHistogram } from './latency-histogram';
import { latencySeries } from './latency-series';
import type { LatencySeriesQuery } from './latency-series';

/** An api call as the repository takes it: without a job id it belongs to no job. */
export type ApiCallInput = Omit<ApiCallRecord, 'jobId'> & { jobId?: number | null };

export const API_CALL_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;
const MAX_MESSAGE_CHARS = 1000;

export interface ApiCallRepositoryOptions {
  /** Buffered calls are written at most this long after they were recorded. */
  flushIntervalMs?: number;
  /** …or as soon as this many are waiting. */
  maxBuffered?: number;
  logger?: Logger;
}

/**
 * What can be read of the recorded calls (call-metrics.ts, recent-failures.ts and
 * latency-series.ts hold the queries). `ApiCallRepository.read()` hands it out after writing the
 * buffer, so one snapshot — a dozen questions — writes the buffer once.
 */
export interface ApiCallReads {
  /** Exact totals of the calls made at or after `from`. */
  totals(from: number): CallTotals;
  /** When the newest successful and failed calls were made. */
  lastCallTimes(): { lastSuccessAt: number | null; lastFailureAt: number | null };
  /** Calls made at or after a minute boundary (e.g. UTC midnight). */
  callsSinceMinute(minuteStart: number): number;
  /** Read-backs of in-doubt writes made at or after `since`. */
  readBackCallsSince(since: number): number;
  /** The time of the n-th call (1-based) made at or after `since`, or null when fewer were made. */
  nthCallSince(since: number, n: number): number | null;
  /** The newest failed calls, newest first. */
  recentFailures(limit?: number): RecentFailure[];
  /** Call latency per time bucket, for the dashboard's chart. */
  latencySeries(query: LatencySeriesQuery): LatencySeries;
}

type MaybePromise<T> = T | Promise<T>;

/** ApiCallReads whose answers may be a round trip away (the team's database, team/team-call-log.ts). */
export type CallReads = {
  [K in keyof ApiCallReads]: (...args: Parameters<ApiCallReads[K]>) => MaybePromise<ReturnType<ApiCallReads[K]>>;
};

/**
 * Where the console reads the recorded calls from: this console's own (ApiCallRepository) or, in
 * team mode, every engine's (TeamCallLog). `read()` writes what is buffered first.
 */
export interface CallLog {
  read(): MaybePromise<CallReads>;
}

/** A call as both stores keep it: whole milliseconds, its class, the message cut to size. */
export interface StoredCall {
  at: number;
  latencyMs: number;
  kind: CallKind;
  errorMessage: string | null;
}

export function storedCall(call: ApiCallInput): StoredCall {
  return {
    at: Math.trunc(call.at),
    latencyMs: Math.max(0, Math.round(call.latencyMs)),
    kind: classifyCall(call),
    errorMessage: truncate(call.errorMessage),
  };
}

/**
 * The metrics sink of the iCIMS client: every call becomes an `api_calls` row and is added to
 * its minute in `api_call_minutes` in the same transaction, so the rollup can never drift from
 * the rows.
 *
 * `record` is on the client's hot path and must be cheap and must never throw, so calls are
 * buffered and written in one transaction every `flushIntervalMs` (or every `maxBuffered`
 * calls). The repository owns that buffer, so api calls are read through it: `read()` (the
 * snapshot, the latency series, recent failures) and `dailyUsed` write the buffer first, and
 * nothing recorded is ever missing from what the console shows. Call `close()` before closing the
 * database.
 */
export class ApiCallRepository implements ApiCallSink, CallLog {
  private buffer: ApiCallInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly logger: Logger;
  private readonly write: Transaction<(calls: ApiCallInput[]) => void>;
  private readonly statements: ReturnType<typeof readStatements>;
  private readonly reads: ApiCallReads;

  constructor(
    private readonly db: Database,
    options: ApiCallRepositoryOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBuffered = options.maxBuffered ?? 500;
    this.logger = options.logger ?? silentLogger;
    const insert = db.prepare(
      `INSERT INTO api_calls (at, operation, status_code, outcome, kind, latency_ms, rate_limited, error_code, error_message, application_id, job_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const minuteHistogram = db
      .prepare<[number], Buffer>('SELECT histogram FROM api_call_minutes WHERE minute = ?')
      .pluck();
    const upsertMinute = db.prepare(
      `INSERT INTO api_call_minutes (minute, calls, successes, failures, health_failures, rate_limited, data_errors, latency_sum,
                                     first_health_failure_at, first_rate_limited_at, histogram)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (minute) DO UPDATE SET
         calls = calls + excluded.calls,
         successes = successes + excluded.successes,
         failures = failures + excluded.failures,
         health_failures = health_failures + excluded.health_failures,
         rate_limited = rate_limited + excluded.rate_limited,
         data_errors = data_errors + excluded.data_errors,
         latency_sum = latency_sum + excluded.latency_sum,
         first_health_failure_at = coalesce(min(first_health_failure_at, excluded.first_health_failure_at), first_health_failure_at, excluded.first_health_failure_at),
         first_rate_limited_at = coalesce(min(first_rate_limited_at, excluded.first_rate_limited_at), first_rate_limited_at, excluded.first_rate_limited_at),
         histogram = excluded.histogram`,
    );
    this.write = db.transaction((calls: ApiCallInput[]) => {
      const minutes = new Map<number, CallTotals>();
      for (const call of calls) {
        const { at, latencyMs, kind, errorMessage } = storedCall(call);
        insert.run(
          at,
          call.operation,
          call.statusCode,
          call.outcome,
          kind,
          latencyMs,
          kind === CALL_KIND.rateLimited ? 1 : 0,
          call.errorCode,
          errorMessage,
          call.applicationId,
          call.jobId ?? null,
        );
        addToMinute(minutes, at, latencyMs, kind);
      }
      for (const [minute, t] of minutes) {
        // The histogram is merged here rather than in SQL; the row is read inside the same
        // write transaction, so no other writer can slip in between.
        const stored = minuteHistogram.get(minute);
        if (stored !== undefined) addEncodedHistogram(t.histogram, stored);
        upsertMinute.run(
          minute,
          t.calls,
          t.successes,
          t.failures,
          t.healthFailures,
          t.rateLimited,
          t.dataErrors,
          t.latencySum,
          t.firstHealthFailureAt,
          t.firstRateLimitedAt,
          encodeHistogram(t.histogram),
        );
      }
    });
    this.statements = readStatements(db);
    this.reads = {
      totals: (from) => callTotals(db, from),
      lastCallTimes: () => lastCallTimes(db),
      callsSinceMinute: (minuteStart) => callsSinceMinute(db, minuteStart),
      readBackCallsSince: (since) => readBackCallsSince(db, since),
      nthCallSince: (since, n) => nthCallSince(db, since, n),
      recentFailures: (limit) => recentFailures(db, limit),
      latencySeries: (query) => latencySeries(db, query),
    };
  }

  record(call: ApiCallInput): void {
    this.buffer.push(call);
    if (this.closed || this.buffer.length >= this.maxBuffered) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes every buffered call now. Never throws: a failed write is logged and the calls dropped. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const calls = this.buffer;
    this.buffer = [];
    try {
      if (!this.db.open) throw new Error('the database is closed');
      this.write.immediate(calls);
    } catch (error) {
      // Metrics must never take the sync down with them; losing a few rows is the lesser harm.
      this.logger.log('error', 'ops.api_calls.flush_failed', {
        calls: calls.length,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Flushes; later records are written at once. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /**
   * The recorded calls, every buffered one written first. Take it once per answer (a snapshot,
   * a chart): what it reads is the calls recorded up to this moment.
   */
  read(): ApiCallReads {
    this.flush();
    return this.reads;
  }

  /** Deletes calls (and rollup minutes) older than 7 days. Returns how many calls went. */
  prune(now: number): number {
    this.flush();
    const cutoff = now - API_CALL_RETENTION_MS;
    const removed = this.db.transaction(() => {
      const n = this.statements.pruneCalls.run(cutoff).changes;
      // Only minutes that lie wholly before the cutoff.
      this.statements.pruneMinutes.run(Math.floor(cutoff / MINUTE_MS) * MINUTE_MS - MINUTE_MS);
      return n;
    });
    return removed.immediate();
  }

  /** Calls made since UTC midnight: what the daily budget has used (the client's start-up count). */
  dailyUsed(now: number): number {
    return this.read().callsSinceMinute(utcMidnight(now));
  }
}

function readStatements(db: Database) {
  return {
    pruneCalls: db.prepare<[number]>('DELETE FROM api_calls WHERE at < ?'),
    pruneMinutes: db.prepare<[number]>('DELETE FROM api_call_minutes WHERE minute <= ?'),
  };
}

export function utcMidnight(now: number): number {
  const day = new Date(now);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

/** Adds a call to its minute's totals (the rollup row both stores upsert per flush). */
export function addToMinute(minutes: Map<number, CallTotals>, at: number, latency: number, kind: CallKind): void {
  const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  let totals = minutes.get(minute);
  if (!totals) {
    totals = emptyTotals();
    minutes.set(minute, totals);
  }
  addCall(totals, at, latency, kind);
}

function truncate(message: string | null): string | null {
  if (message === null) return null;
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}
