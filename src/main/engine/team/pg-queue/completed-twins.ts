import type { ClaimedJob } from '../../sync/claim-jobs';
import type { CompletedTwins } from '../../sync/completed-twins';
import type { TeamDatabase } from '../pg-connection';

/**
 * PostgreSQL side of sync/completed-twins.ts: every other completed job of the job's application,
 * whose notes in iCIMS are already spoken for when an in-doubt job reads its notes back. The
 * (application_id, id) index keeps it to the application's handful of jobs.
 */
export const PG_COMPLETED_TWINS = `
  SELECT b.note_text, j.idempotency_key, j.icims_note_id, j.completed_at::float8 AS completed_at
    FROM sync_jobs j JOIN sync_job_bodies b ON b.job_id = j.id
   WHERE j.application_id = $1 AND j.status = 'completed' AND j.id <> $2`;

export async function completedTwins(
  db: TeamDatabase,
  job: Pick<ClaimedJob, 'id' | 'applicationId'>,
): Promise<CompletedTwins> {
  const rows = await db.query<{
    note_text: string;
    idempotency_key: string;
    icims_note_id: string | null;
    completed_at: number | null;
  }>(PG_COMPLETED_TWINS, [job.applicationId, job.id]);
  return rows.map((row) => ({
    noteText: row.note_text,
    idempotencyKey: row.idempotency_key,
    noteId: row.icims_note_id,
    completedAt: row.completed_at ?? 0,
  }));
}
