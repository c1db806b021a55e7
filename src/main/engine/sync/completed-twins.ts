import type { Database } from 'better-sqlite3';
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

const statements = perDatabase((db) => ({
  // The (application_id, id) index: an application has a handful of jobs, never a scan of the table.
  twins: db
    .prepare<[string, number], TwinRow>(
      `SELECT note_text, idempotency_key, icims_note_id, completed_at FROM sync_jobs INDEXED BY sync_jobs_application
        WHERE application_id = ? AND status = 'completed' AND id <> ?`,
    )
    .raw(true),
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
