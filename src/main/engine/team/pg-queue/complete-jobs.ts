import { ATTEMPT_HISTORY_LIMIT } from '../../sync/record-attempt';
import type { AttemptRecord } from '../../sync/record-attempt';
import type { TeamDatabase } from '../pg-connection';
import { completeJob } from './complete-job';
import type { PgCompleteJobInput } from './complete-job';
import { DB_NOW } from './queue-channel';
import { PG_TRIM_ATTEMPTS } from './record-attempt';

/**
 * completeJob for a worker finishing a batch (the PostgreSQL side of sync/complete-job.ts's
 * completeJobs): one statement, one round trip, instead of BEGIN, the update and COMMIT per job.
 * Each job is still guarded by its own whole lease (owner and token): a job whose lease was taken
 * over changes nothing and is answered false, exactly as completeJob answers it.
 *
 * The same statement records, for every job whose lease no longer held, the try as a history row
 * (the try happened either way, as completeJob records it); trimming that job's history to the
 * newest ATTEMPT_HISTORY_LIMIT rows follows in a second statement, only then. A batch holding a try
 * that does not fit the row's success columns (a read-back, a success with an error) goes through
 * completeJob one by one: that is rare, and completeJob already knows how to record it.
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

export interface PgCompleteJobsInput extends PgCompleteJobInput {
  /** The successful try; a plain success (no error) is what the batch statement takes. */
  attempt: AttemptRecord;
}

const plainSuccess = (attempt: AttemptRecord): boolean => attempt.outcome === 'success' && attempt.error === null;

/** Completes leased jobs; answers, in input order, whether each lease still held (false: nothing changed). */
export async function completeJobs(db: TeamDatabase, inputs: readonly PgCompleteJobsInput[]): Promise<boolean[]> {
  if (inputs.length === 0) return [];
  if (!inputs.every((input) => plainSuccess(input.attempt))) {
    const applied: boolean[] = [];
    for (const input of inputs) applied.push(await completeJob(db, input));
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
