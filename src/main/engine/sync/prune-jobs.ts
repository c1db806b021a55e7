import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';

const DAY_MS = 86_400_000;

/**
 * How long a completed or cancelled job is kept: its row, with the event payload (the candidate's
 * name and email) and the note text, and its tries. The team's PostgreSQL queue keeps the same
 * (team/pg-queue/prune-retention.ts, DEFAULT_RETENTION.jobsMs).
 */
export const JOB_RETENTION_MS = 30 * DAY_MS;
/**
 * How long a pruned job's tombstone (event id, job id, status) is kept, so that a re-sent event id
 * is still answered as a duplicate: by then no scheduling system re-sends the event. The team's
 * DEFAULT_RETENTION.tombstonesMs is the same.
 */
export const TOMBSTONE_RETENTION_MS = 400 * DAY_MS;
/** Rows deleted per immediate transaction, so no single write holds the database for long. */
export const PRUNE_BATCH = 1000;

export interface PruneJobsResult {
  jobs: number;
  tombstones: number;
}

interface OldJob {
  id: number;
  event_id: string;
  status: string;
}

const statements = perDatabase((db) => {
  // Completed jobs through their completion-time index; cancelled ones are few (the status index).
  const oldJobs = db.prepare<[number, number, number], OldJob>(
    `SELECT id, event_id, status FROM (
       SELECT id, event_id, status FROM sync_jobs INDEXED BY sync_jobs_completed_at
        WHERE status = 'completed' AND completed_at < ?
       UNION ALL
       SELECT id, event_id, status FROM sync_jobs INDEXED BY sync_jobs_status
        WHERE status = 'cancelled' AND updated_at < ?)
     LIMIT ?`,
  );
  const tombstone = db.prepare<[string, number, string, number]>(
    `INSERT INTO event_tombstones (event_id, job_id, status, pruned_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (event_id) DO NOTHING`,
  );
  // job_attempts cascades from sync_jobs, but only with foreign keys on: deleted here by name.
  const attempts = db.prepare<[number]>('DELETE FROM job_attempts WHERE job_id = ?');
  const job = db.prepare<[number]>('DELETE FROM sync_jobs WHERE id = ?');
  const oldTombstones = db.prepare<[number, number]>(
    `DELETE FROM event_tombstones WHERE event_id IN (
       SELECT event_id FROM event_tombstones INDEXED BY event_tombstones_pruned_at WHERE pruned_at < ? LIMIT ?)`,
  );
  return {
    jobBatch: db.transaction((now: number, batch: number): number => {
      const cutoff = now - JOB_RETENTION_MS;
      const rows = oldJobs.all(cutoff, cutoff, batch);
      for (const row of rows) {
        tombstone.run(row.event_id, row.id, row.status, now);
        attempts.run(row.id);
        job.run(row.id);
      }
      return rows.length;
    }),
    tombstoneBatch: db.transaction(
      (now: number, batch: number): number => oldTombstones.run(now - TOMBSTONE_RETENTION_MS, batch).changes,
    ),
  };
});

/**
 * Retention for the SQLite queue (docs/TEAM_MODE.md, "Retention"; the team's side is
 * team/pg-queue/prune-retention.ts). Deletes completed jobs older than 30 days (by completion) and
 * cancelled jobs older than 30 days (by their last change), each with its tries; each leaves a
 * tombstone in the same transaction, so a re-sent event id is still answered as a duplicate of the
 * old job and never becomes a second note (enqueue-jobs.ts). Deletes tombstones older than 400
 * days. Pending, processing, failed and held jobs are never pruned: they still need the worker or
 * a person. Works in batches of `batch`, each its own immediate transaction, until nothing past
 * the horizon is left.
 */
export function pruneJobs(db: Database, now: number, batch = PRUNE_BATCH): PruneJobsResult {
  const { jobBatch, tombstoneBatch } = statements(db);
  const drain = (step: (now: number, batch: number) => number): number => {
    let total = 0;
    for (;;) {
      const n = step(now, batch);
      total += n;
      if (n < batch) return total;
    }
  };
  return {
    jobs: drain((at, size) => jobBatch.immediate(at, size)),
    tombstones: drain((at, size) => tombstoneBatch.immediate(at, size)),
  };
}
