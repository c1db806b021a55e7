import type { TeamDatabase } from '../pg-connection';
import { DB_NOW } from './queue-channel';
import { actOnOneJob } from './single-job-action';

/**
 * PostgreSQL side of sync/cancel-job.ts. A processing job is not cancellable: its call may
 * already be on the wire. The row is locked before it changes, so a claim that takes the job at
 * the same moment either wins (the cancel then answers 409 "processing") or waits and finds it
 * cancelled; a cancelled job is never claimed.
 *
 * Cancelling a pending job may let a later job of the same application go (claim-jobs.ts waits
 * for earlier open jobs), so that cancel wakes the engines; `was` is the status before.
 */
export const PG_CANCEL_WHERE = "status IN ('pending', 'failed', 'held')";

export const pgCancel = (targets: string): string => `
  WITH target AS (SELECT id, status FROM sync_jobs WHERE ${targets} AND ${PG_CANCEL_WHERE} FOR UPDATE)
  UPDATE sync_jobs j
     SET status = 'cancelled', updated_at = ${DB_NOW}, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
    FROM target
   WHERE j.id = target.id
  RETURNING j.id, target.status AS was`;

export const PG_CANCEL_JOB = pgCancel('id = $1');

/** A pending, failed or held job becomes cancelled and is never claimed again. Other states: JobConflictError. */
export function cancelJob(db: TeamDatabase, jobId: number): Promise<void> {
  return actOnOneJob<{ was: string }>(db, {
    sql: PG_CANCEL_JOB,
    jobId,
    action: 'cancel',
    wakes: (row) => row.was === 'pending',
  });
}
