/**
 * Complete a leased job (or a worker's batch of them), SQLite and PostgreSQL side by side. Guarded
 * by the lease: if this worker's lease expired and another worker took the job over, the row
 * belongs to the other worker now and this call must not touch it. (The note was still written
 * once: both tries carry the same idempotency key.) The successful try goes onto the completed row
 * itself (migration 2), and the completion is counted per minute (job_completion_minutes).
 *
 * What differs: SQLite guards by the lease owner and takes `now` from the engine; one immediate
 * transaction completes a whole batch. PostgreSQL guards by the whole lease (owner and token, as
 * graphile-worker guards by locked_by: a restarted engine under the same name cannot complete a
 * job it lost), stamps the database clock, and counts the minute and settles the doubt in the same
 * statement; its batch (pgCompleteJobs) is one statement, one round trip, instead of BEGIN, the
 * update and COMMIT per job. SQLite settles the doubt in a separate statement: naming in_doubt in
 * the completion would make every completion consider the in-doubt index.
 */
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW } from '../team/pg-queue/queue-channel';
import { perDatabase } from './per-database';
import {
  ATTEMPT_HISTORY_LIMIT,
  PG_TRIM_ATTEMPTS,
  pgRecordAttempt,
  recordAttempt,
  storedAt,
  storedLatency,
} from './record-attempt';
import type { AttemptRecord } from './record-attempt';

export interface CompleteJobInput {
  jobId: number;
  /** The lease owner that claimed the job. */
  owner: string;
  now: number;
  /** The successful try, recorded in the same transaction. */
  attempt?: AttemptRecord;
  /** The iCIMS note id (from the 201, or the note a read-back found). */
  noteId?: string | null;
  /** The job was in doubt: the write settled it (found or written), so no read-back is owed now. */
  settlesDoubt?: boolean;
}

export interface PgCompleteJobInput {
  jobId: number;
  owner: string;
  leaseToken: string;
  /** The successful try, recorded in the same transaction. */
  attempt?: AttemptRecord;
  /** The iCIMS note id (from the 201, or the note a read-back found). */
  noteId?: string | null;
  /** The job was in doubt: the write settled it (found or written), so no read-back is owed now. */
  settlesDoubt?: boolean;
}

export interface PgCompleteJobsInput extends PgCompleteJobInput {
  /** The successful try; a plain success (no error) is what the batch statement takes. */
  attempt: AttemptRecord;
}

const MINUTE_MS = 60_000;

type SuccessColumns = [at: number | null, label: string | null, statusCode: number | null, latencyMs: number | null];
const NO_SUCCESS: SuccessColumns = [null, null, null, null];

const SQLITE_COMPLETE_JOB = `UPDATE sync_jobs
        SET status = 'completed', completed_at = ?, updated_at = ?, last_error = NULL,
            lease_owner = NULL, lease_expires_at = NULL,
            success_at = ?, success_label = ?, success_status_code = ?, success_latency_ms = ?, icims_note_id = ?
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`;

const SQLITE_SETTLE_DOUBT = 'UPDATE sync_jobs SET in_doubt = 0 WHERE id = ? AND in_doubt = 1';

const SQLITE_COUNT_MINUTE = `INSERT INTO job_completion_minutes (minute, completed) VALUES (?, ?)
     ON CONFLICT (minute) DO UPDATE SET completed = completed + excluded.completed`;

export const PG_COMPLETE_JOB = `
  WITH done AS (
    UPDATE sync_jobs
       SET status = 'completed', completed_at = ${DB_NOW}, updated_at = ${DB_NOW}, last_error = NULL,
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           success_at = $4, success_label = $5, success_status_code = $6, success_latency_ms = $7,
           icims_note_id = $8, in_doubt = in_doubt AND NOT $9::boolean
     WHERE id = $1 AND status = 'processing' AND lease_owner = $2 AND lease_token = $3
    RETURNING completed_at),
  counted AS (
    INSERT INTO job_completion_minutes (minute, completed)
    SELECT completed_at - completed_at % 60000, 1 FROM done
    ON CONFLICT (minute) DO UPDATE SET completed = job_completion_minutes.completed + 1)
  SELECT count(*)::int AS applied FROM done`;

/**
 * The PostgreSQL batch: each job still guarded by its own whole lease; a job whose lease was taken
 * over changes nothing and is answered false, exactly as pgCompleteJob answers it. The same
 * statement records, for every job whose lease no longer held, the try as a history row (the try
 * happened either way); trimming that job's history to the newest ATTEMPT_HISTORY_LIMIT rows
 * follows in a second statement, only then.
 */
export const PG_COMPLETE_JOBS = `
  WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::int[], $7::int[],
                         $8::text[], $9::boolean[])
      AS i(id, owner, token, success_at, success_label, status_code, latency_ms, note_id, settles_doubt)),
  done AS (
    UPDATE sync_jobs j
       SET status = 'completed', completed_at = ${DB_NOW}, updated_at = ${DB_NOW}, last_error = NULL,
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           success_at = i.success_at, success_label = i.success_label,
           success_status_code = i.status_code, success_latency_ms = i.latency_ms,
           icims_note_id = i.note_id, in_doubt = j.in_doubt AND NOT i.settles_doubt
      FROM input i
     WHERE j.id = i.id AND j.status = 'processing' AND j.lease_owner = i.owner AND j.lease_token = i.token
    RETURNING j.id, j.completed_at),
  counted AS (
    INSERT INTO job_completion_minutes (minute, completed)
    SELECT completed_at - completed_at % 60000, count(*) FROM done GROUP BY 1
    ON CONFLICT (minute) DO UPDATE SET completed = job_completion_minutes.completed + excluded.completed),
  missed AS (
    INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error)
    SELECT i.id, i.success_at, i.success_label, 'success', i.status_code, greatest(0, i.latency_ms), NULL
      FROM input i
     WHERE i.id NOT IN (SELECT id FROM done)
    RETURNING job_id)
  SELECT (SELECT array_agg(id) FROM done) AS done, (SELECT array_agg(DISTINCT job_id) FROM missed) AS missed`;

const statements = perDatabase((db) => {
  const complete = db.prepare<[number, number, ...SuccessColumns, string | null, number, string]>(SQLITE_COMPLETE_JOB);
  const settleDoubt = db.prepare<[number]>(SQLITE_SETTLE_DOUBT);
  const countMinute = db.prepare<[number, number]>(SQLITE_COUNT_MINUTE);
  const apply = (inputs: readonly CompleteJobInput[]): boolean[] => {
    const perMinute = new Map<number, number>();
    const applied = inputs.map(({ jobId, owner, now, attempt, noteId, settlesDoubt }) => {
      // Only a plain success fits the row's columns; anything else keeps its own history row.
      const onRow = attempt !== undefined && attempt.outcome === 'success' && attempt.error === null;
      const success: SuccessColumns = onRow
        ? [storedAt(attempt), attempt.label, attempt.statusCode, storedLatency(attempt)]
        : NO_SUCCESS;
      const done = complete.run(now, now, ...success, noteId ?? null, jobId, owner).changes === 1;
      if (done && settlesDoubt) settleDoubt.run(jobId);
      // The try happened whether or not the lease still holds, so the history records it either
      // way: a try that did not complete the job gets its row, as does one the row cannot hold.
      if (attempt && !(done && onRow)) recordAttempt(db, jobId, attempt);
      if (done) {
        const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      }
      return done;
    });
    for (const [minute, n] of perMinute) countMinute.run(minute, n);
    return applied;
  };
  return { apply: db.transaction(apply) };
});

/** Marks a leased job completed. Returns false (and changes nothing) when `owner` no longer holds it. */
export function completeJob(db: Database, input: CompleteJobInput): boolean {
  return statements(db).apply.immediate([input])[0] ?? false;
}

async function pgCompleteOn(client: PoolClient, input: PgCompleteJobInput): Promise<boolean> {
  const { attempt } = input;
  const onRow = attempt !== undefined && attempt.outcome === 'success' && attempt.error === null;
  const success = onRow
    ? [
        Math.trunc(attempt.at),
        attempt.label,
        attempt.statusCode,
        attempt.latencyMs === null ? null : Math.round(attempt.latencyMs),
      ]
    : [null, null, null, null];
  const { rows } = await client.query<{ applied: number }>(PG_COMPLETE_JOB, [
    input.jobId,
    input.owner,
    input.leaseToken,
    ...success,
    input.noteId ?? null,
    input.settlesDoubt === true,
  ]);
  const done = rows[0]?.applied === 1;
  // The try happened whether or not the lease still holds, so the history records it either way.
  if (attempt && !(done && onRow)) await pgRecordAttempt(client, input.jobId, attempt);
  return done;
}

/** completeJob on the team database. False (and nothing changed) when this lease no longer holds the job. */
export async function pgCompleteJob(db: TeamDatabase, input: PgCompleteJobInput): Promise<boolean> {
  return db.transaction((client) => pgCompleteOn(client, input));
}

/** completeJob for many jobs in one transaction (a worker finishing a batch). */
export function completeJobs(db: Database, inputs: readonly CompleteJobInput[]): boolean[] {
  return statements(db).apply.immediate(inputs);
}

const plainSuccess = (attempt: AttemptRecord): boolean => attempt.outcome === 'success' && attempt.error === null;

/**
 * completeJobs on the team database; answers, in input order, whether each lease still held (false:
 * nothing changed). A batch holding a try that does not fit the row's success columns (a read-back,
 * a success with an error) goes through pgCompleteJob one by one: that is rare, and pgCompleteJob
 * already knows how to record it.
 */
export async function pgCompleteJobs(db: TeamDatabase, inputs: readonly PgCompleteJobsInput[]): Promise<boolean[]> {
  if (inputs.length === 0) return [];
  if (!inputs.every((input) => plainSuccess(input.attempt))) {
    const applied: boolean[] = [];
    for (const input of inputs) applied.push(await pgCompleteJob(db, input));
    return applied;
  }
  const rows = await db.query<{ done: string[] | null; missed: string[] | null }>(PG_COMPLETE_JOBS, [
    inputs.map((input) => input.jobId),
    inputs.map((input) => input.owner),
    inputs.map((input) => input.leaseToken),
    inputs.map((input) => Math.trunc(input.attempt.at)),
    inputs.map((input) => input.attempt.label),
    inputs.map((input) => input.attempt.statusCode),
    inputs.map((input) => (input.attempt.latencyMs === null ? null : Math.round(input.attempt.latencyMs))),
    inputs.map((input) => input.noteId ?? null),
    inputs.map((input) => input.settlesDoubt === true),
  ]);
  const done = new Set((rows[0]?.done ?? []).map(Number));
  // Housekeeping after the fact: the history row is already stored with the (not) completion.
  for (const jobId of rows[0]?.missed ?? []) await db.query(PG_TRIM_ATTEMPTS, [jobId, ATTEMPT_HISTORY_LIMIT]);
  return inputs.map((input) => done.has(input.jobId));
}
