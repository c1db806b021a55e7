import type { EnqueuedJob, NewJob } from '../../sync/enqueue-jobs';
import type { TeamDatabase } from '../pg-connection';
import { DB_NOW, notifyJobsDue } from './queue-channel';

/**
 * PostgreSQL side of sync/enqueue-jobs.ts. The job row and its body (payload, note text) are two
 * tables here (see pg-migrations.ts), written in one statement. A re-sent event id is a duplicate
 * while its job exists — the UNIQUE constraint — and also after retention pruned the job: the
 * tombstone answers for it, so a late re-send can never create a second note.
 *
 * `runAfter` is not taken from the engine: a new job is due now on the database clock.
 */
export const PG_ENQUEUE_JOB = `
  WITH tombstone AS (SELECT job_id FROM event_tombstones WHERE event_id = $1),
  inserted AS (
    INSERT INTO sync_jobs (event_id, type, application_id, entity_type, entity_id, status, max_attempts,
                           idempotency_key, run_after, created_at, updated_at, occurred_at, destination)
    SELECT $1, $2, $3, $4, $5, 'pending', $6, $7, ${DB_NOW}, ${DB_NOW}, ${DB_NOW},
           coalesce($10::bigint, ${DB_NOW}), $11
     WHERE NOT EXISTS (SELECT 1 FROM tombstone)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING id),
  body AS (INSERT INTO sync_job_bodies (job_id, payload, note_text) SELECT id, $8, $9 FROM inserted)
  SELECT (SELECT id FROM inserted) AS inserted_id,
         coalesce((SELECT job_id FROM tombstone), (SELECT id FROM sync_jobs WHERE event_id = $1)) AS existing_id`;

/** Stores jobs in one transaction: all of them, or (on any error) none. */
export async function enqueueJobs(db: TeamDatabase, jobs: readonly NewJob[]): Promise<EnqueuedJob[]> {
  if (jobs.length === 0) return [];
  return db.transaction(async (client) => {
    const results: EnqueuedJob[] = [];
    for (const job of jobs) {
      const { rows } = await client.query<{ inserted_id: string | null; existing_id: string | null }>(PG_ENQUEUE_JOB, [
        job.eventId,
        job.type,
        job.applicationId,
        job.entityType,
        job.entityId,
        job.maxAttempts,
        job.idempotencyKey,
        job.payload,
        job.noteText,
        job.occurredAt ?? null,
        job.destination ?? null,
      ]);
      const row = rows[0];
      if (row?.inserted_id) {
        results.push({ eventId: job.eventId, jobId: Number(row.inserted_id), duplicate: false });
        continue;
      }
      // A conflict with a row another engine committed while this insert waited on it is not in
      // the statement's snapshot; the next statement (READ COMMITTED) sees it.
      const existing =
        row?.existing_id ??
        (await client.query<{ id: string }>('SELECT id FROM sync_jobs WHERE event_id = $1', [job.eventId])).rows[0]?.id;
      if (!existing) throw new Error(`event ${job.eventId} conflicted but no job holds it`);
      results.push({ eventId: job.eventId, jobId: Number(existing), duplicate: true });
    }
    if (results.some((result) => !result.duplicate)) await notifyJobsDue(client);
    return results;
  });
}
