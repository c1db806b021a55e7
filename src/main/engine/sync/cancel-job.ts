/**
 * Cancel one job, SQLite and PostgreSQL side by side. A pending, failed or held job becomes
 * cancelled and is never claimed again; a processing job is not cancellable: its call may already
 * be on the wire.
 *
 * What differs: SQLite takes `now` from the engine and its immediate transaction holds the write
 * lock, so no claim can interleave. PostgreSQL uses the database clock and locks the row before it
 * changes (FOR UPDATE), so a claim that takes the job at the same moment either wins (the cancel
 * then answers 409 "processing") or waits and finds it cancelled; it also clears the lease token,
 * a column only the team database has. Cancelling a pending job may let a later job of the same
 * application go (claim-jobs.ts waits for earlier open jobs): SQLite re-checks that order
 * (order-check.ts), PostgreSQL wakes the engines; `was` is the status before.
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW } from '../team/pg-queue/queue-channel';
import { actOnOneJob } from '../team/pg-queue/single-job-action';
import { SQLITE_STATUS_OF } from './job-row';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';
import { JobConflictError, JobNotFoundError } from './queue-errors';

export const PG_CANCEL_WHERE = "status IN ('pending', 'failed', 'held')";

const SQLITE_CANCEL_JOB = `UPDATE sync_jobs SET status = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = ? AND status IN ('pending', 'failed', 'held')
        RETURNING application_id`;

/** The PostgreSQL cancel of the jobs `targets` names (one id here, a selection in bulk-job-actions.ts). */
export const pgCancel = (targets: string): string => `
  WITH target AS (SELECT id, status FROM sync_jobs WHERE ${targets} AND ${PG_CANCEL_WHERE} FOR UPDATE)
  UPDATE sync_jobs j
     SET status = 'cancelled', updated_at = ${DB_NOW}, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
    FROM target
   WHERE j.id = target.id
  RETURNING j.id, target.status AS was`;

export const PG_CANCEL_JOB = pgCancel('id = $1');

const statements = perDatabase((db) => {
  const cancel = db.prepare<[number, number], string>(SQLITE_CANCEL_JOB).pluck();
  const statusOf = db.prepare<[number], JobStatus>(SQLITE_STATUS_OF).pluck();
  return {
    cancel: db.transaction((jobId: number, now: number) => {
      const applicationId = cancel.get(now, jobId);
      if (applicationId !== undefined) return checkOrderOf(db, [applicationId]);
      const status = statusOf.get(jobId);
      if (status === undefined) throw new JobNotFoundError(jobId);
      throw new JobConflictError(jobId, status, 'cancel');
    }),
  };
});

/** A pending, failed or held job becomes cancelled and is never claimed again. Other states: JobConflictError. */
export function cancelJob(db: Database, jobId: number, now: number): void {
  statements(db).cancel.immediate(jobId, now);
}

/** cancelJob on the team database. */
export function pgCancelJob(db: TeamDatabase, jobId: number): Promise<void> {
  return actOnOneJob<{ was: string }>(db, {
    sql: PG_CANCEL_JOB,
    jobId,
    action: 'cancel',
    wakes: (row) => row.was === 'pending',
  });
}
