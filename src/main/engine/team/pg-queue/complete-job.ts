import type { PoolClient } from 'pg';
import type { AttemptRecord } from '../../sync/record-attempt';
import type { TeamDatabase } from '../pg-connection';
import { DB_NOW } from './queue-channel';
import { recordAttempt } from './record-attempt';

/**
 * PostgreSQL side of sync/complete-job.ts, guarded by the whole lease (owner and token), as
 * graphile-worker guards by locked_by: an engine whose lease ran out and whose job another
 * engine took over changes nothing (the note was still written once: both tries carry the same
 * idempotency key). The completion minute is counted in the same statement. A job that was in doubt
 * is settled by its completion (the write or the read-back decided it), as in SQLite.
 */
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

async function completeOn(client: PoolClient, input: PgCompleteJobInput): Promise<boolean> {
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
  if (attempt && !(done && onRow)) await recordAttempt(client, input.jobId, attempt);
  return done;
}

/** Marks a leased job completed. False (and nothing changed) when this lease no longer holds it. */
export async function completeJob(db: TeamDatabase, input: PgCompleteJobInput): Promise<boolean> {
  return db.transaction((client) => completeOn(client, input));
}
