/**
 * Retention of the queue, SQLite and PostgreSQL side by side (docs/TEAM_MODE.md, "Retention"):
 * completed jobs older than 30 days (by completion) and cancelled jobs older than 30 days (by
 * their last change) are deleted with their tries, payload (the candidate's name and email) and
 * note text; each leaves a tombstone — event id, job id, status — in the same transaction, so a
 * re-sent event id is still answered as a duplicate of the old job and never becomes a second note
 * (enqueue-jobs.ts reads tombstones). Tombstones go after 400 days. Pending, processing, failed
 * and held jobs are never pruned: they still need the worker or a person. Both work in batches,
 * each its own transaction, until nothing past the horizon is left; the horizons and the batch
 * size below are the same for both.
 *
 * What differs: SQLite takes `now` from the engine, writes each batch in an immediate transaction
 * (one engine, nothing to skip), and deletes a job's tries by name (their cascade needs foreign keys on).
 * PostgreSQL uses the database clock, and any engine of the team may prune at the same time as
 * others claim and complete: a batch is one statement that skips rows locked by someone else
 * (`FOR UPDATE SKIP LOCKED`) and lets the body and tries go by cascade. The team database also
 * prunes its call records (team/pg-retention.ts, which runs this first); SQLite's are pruned by
 * ops/api-call-repository.ts.
 */
import type { Database } from 'better-sqlite3';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW } from '../team/pg-queue/queue-channel';
import { perDatabase } from './per-database';

const DAY_MS = 86_400_000;

/**
 * How long a completed or cancelled job is kept: its row, with the event payload (the candidate's
 * name and email) and the note text, and its tries.
 */
export const JOB_RETENTION_MS = 30 * DAY_MS;
/**
 * How long a pruned job's tombstone (event id, job id, status) is kept, so that a re-sent event id
 * is still answered as a duplicate: by then no scheduling system re-sends the event.
 */
export const TOMBSTONE_RETENTION_MS = 400 * DAY_MS;
/** Rows deleted per transaction, so no single write holds the database (or its rows) for long. */
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

/** Prunes the SQLite queue: old jobs (leaving tombstones), then old tombstones, `batch` at a time. */
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

/** One batch of old jobs on the team database: each leaves its tombstone; body and tries cascade. */
export const PG_PRUNE_JOBS = `
  WITH old AS (
    SELECT id, event_id, status FROM sync_jobs
     WHERE (status = 'completed' AND completed_at < ${DB_NOW} - ${JOB_RETENTION_MS}::bigint)
        OR (status = 'cancelled' AND updated_at < ${DB_NOW} - ${JOB_RETENTION_MS}::bigint)
     ORDER BY id
     LIMIT $1
     FOR UPDATE SKIP LOCKED),
  tombstoned AS (
    INSERT INTO event_tombstones (event_id, job_id, status, pruned_at)
    SELECT event_id, id, status, ${DB_NOW} FROM old
    ON CONFLICT (event_id) DO NOTHING),
  gone AS (DELETE FROM sync_jobs j USING old WHERE j.id = old.id RETURNING j.id)
  SELECT count(*)::int AS n FROM gone`;

/**
 * One counted batch (`$1` rows at most) of the rows of `table` whose `at` column lies more than
 * `horizonMs` before the database's now, picked by their key: for pgDrain.
 */
export const pgPruneOlderThan = (table: string, key: string, at: string, horizonMs: number): string => `
  WITH gone AS (
    DELETE FROM ${table} WHERE ${key} IN (
      SELECT ${key} FROM ${table} WHERE ${at} < ${DB_NOW} - ${horizonMs}::bigint LIMIT $1)
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

/** One batch of old tombstones on the team database. */
export const PG_PRUNE_TOMBSTONES = pgPruneOlderThan(
  'event_tombstones',
  'event_id',
  'pruned_at',
  TOMBSTONE_RETENTION_MS,
);

/** Runs a counted batch statement (`$1` the batch size) until a batch comes back short. */
export async function pgDrain(db: TeamDatabase, sql: string, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db.query<{ n: number }>(sql, [batch]);
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) return total;
  }
}

/** pruneJobs on the team database. */
export async function pgPruneJobs(db: TeamDatabase, batch = PRUNE_BATCH): Promise<PruneJobsResult> {
  return {
    jobs: await pgDrain(db, PG_PRUNE_JOBS, batch),
    tombstones: await pgDrain(db, PG_PRUNE_TOMBSTONES, batch),
  };
}
