import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';
import { recordAttempt } from './record-attempt';
import type { AttemptRecord } from './record-attempt';

export interface CompleteJobInput {
  jobId: number;
  /** The lease owner that claimed the job. */
  owner: string;
  now: number;
  /** The successful try, recorded in the same transaction. */
  attempt?: AttemptRecord;
}

const MINUTE_MS = 60_000;

const statements = perDatabase((db) => {
  // Guarded by the lease: if this worker's lease expired and another worker took the job over,
  // the row belongs to the other worker now and this call must not touch it. (The note was
  // still written once: both tries carry the same idempotency key.)
  const complete = db.prepare<[number, number, number, string]>(
    `UPDATE sync_jobs
        SET status = 'completed', completed_at = ?, updated_at = ?, last_error = NULL,
            lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
  );
  const countMinute = db.prepare<[number, number]>(
    `INSERT INTO job_completion_minutes (minute, completed) VALUES (?, ?)
     ON CONFLICT (minute) DO UPDATE SET completed = completed + excluded.completed`,
  );
  const apply = (inputs: readonly CompleteJobInput[]): boolean[] => {
    const perMinute = new Map<number, number>();
    const applied = inputs.map((input) => {
      // The try happened whether or not the lease still holds, so the history records it either way.
      if (input.attempt) recordAttempt(db, input.jobId, input.attempt);
      const done = complete.run(input.now, input.now, input.jobId, input.owner).changes === 1;
      if (done) {
        const minute = Math.floor(input.now / MINUTE_MS) * MINUTE_MS;
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
