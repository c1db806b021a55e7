/**
 * The completed twins of a job, SQLite and PostgreSQL side by side: every other completed job of
 * the job's application, whose notes in iCIMS are already spoken for when an in-doubt job reads its
 * notes back. The (application_id, id) index keeps it to the application's handful of jobs, never a
 * scan of the table.
 *
 * What differs: in PostgreSQL the note text lives in `sync_job_bodies` and completed_at is read as
 * float8 (a bigint would come back as a string); SQLite names its index and reads raw rows.
 */
import type { Database } from 'better-sqlite3';
import type { TeamDatabase } from '../team/pg-connection';
import type { ClaimedJob } from './claim-jobs';
import { perDatabase } from './per-database';

/** A completed job of the same application, as the read-back of an in-doubt job weighs it. */
export interface CompletedTwin {
  noteText: string;
  idempotencyKey: string;
  /** The iCIMS note it is known to own, when known. */
  noteId: string | null;
  /** Epoch ms. */
  completedAt: number;
}

export type CompletedTwins = CompletedTwin[];

type TwinRow = [noteText: string, idempotencyKey: string, noteId: string | null, completedAt: number | null];

const SQLITE_COMPLETED_TWINS = `SELECT note_text, idempotency_key, icims_note_id, completed_at FROM sync_jobs INDEXED BY sync_jobs_application
        WHERE application_id = ? AND status = 'completed' AND id <> ?`;

export const PG_COMPLETED_TWINS = `
  SELECT b.note_text, j.idempotency_key, j.icims_note_id, j.completed_at::float8 AS completed_at
    FROM sync_jobs j JOIN sync_job_bodies b ON b.job_id = j.id
   WHERE j.application_id = $1 AND j.status = 'completed' AND j.id <> $2`;

const statements = perDatabase((db) => ({
  twins: db.prepare<[string, number], TwinRow>(SQLITE_COMPLETED_TWINS).raw(true),
}));

/** Every other completed job of the job's application: whose notes in iCIMS are already spoken for. */
export function completedTwins(db: Database, job: Pick<ClaimedJob, 'id' | 'applicationId'>): CompletedTwins {
  return statements(db)
    .twins.all(job.applicationId, job.id)
    .map(([noteText, idempotencyKey, noteId, completedAt]) => ({
      noteText,
      idempotencyKey,
      noteId,
      completedAt: completedAt ?? 0,
    }));
}

/** completedTwins on the team database. */
export async function pgCompletedTwins(
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
