import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';
import { recordAttempt, storedAt, storedLatency } from './record-attempt';
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

const MINUTE_MS = 60_000;

type SuccessColumns = [at: number | null, label: string | null, statusCode: number | null, latencyMs: number | null];
const NO_SUCCESS: SuccessColumns = [null, null, null, null];

const statements = perDatabase((db) => {
  // Guarded by the lease: if this worker's lease expired and another worker took the job over,
  // the row belongs to the other worker now and this call must not touch it. (The note was
  // still written once: both tries carry the same idempotency key.)
  //
  // The successful try goes onto the completed row itself (migration 2): the job detail shows it
  // as the newest entry of the history, so no job_attempts row is written for it.
  const complete = db.prepare<[number, number, ...SuccessColumns, string | null, number, string]>(
    `UPDATE sync_jobs
        SET status = 'completed', completed_at = ?, updated_at = ?, last_error = NULL,
            lease_owner = NULL, lease_expires_at = NULL,
            success_at = ?, success_label = ?, success_status_code = ?, success_latency_ms = ?, icims_note_id = ?
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
  );
  // Kept apart from `complete`: naming in_doubt there would make every completion consider the
  // in-doubt index, and only the rare in-doubt job needs it cleared.
  const settleDoubt = db.prepare<[number]>('UPDATE sync_jobs SET in_doubt = 0 WHERE id = ? AND in_doubt = 1');
  const countMinute = db.prepare<[number, number]>(
    `INSERT INTO job_completion_minutes (minute, completed) VALUES (?, ?)
     ON CONFLICT (minute) DO UPDATE SET completed = completed + excluded.completed`,
  );
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

/** completeJob for many jobs in one transaction (a worker finishing a batch). */
export function completeJobs(db: Database, inputs: readonly CompleteJobInput[]): boolean[] {
  return statements(db).apply.immediate(inputs);
}
