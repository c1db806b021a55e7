import type { TeamDatabase } from '../pg-connection';
import { DB_NOW } from './queue-channel';

/**
 * PostgreSQL side of sync/destination.ts's holdJobElsewhere: a job whose try came back after this
 * engine was pointed at another iCIMS joins the held jobs of its own destination, if the try left
 * it pending or failed. A completed, cancelled or re-claimed job is left alone.
 */
export const PG_HOLD_JOB_ELSEWHERE = `
  UPDATE sync_jobs SET status = 'held', updated_at = ${DB_NOW}
   WHERE id = $1 AND (status = 'pending' OR status = 'failed') AND destination IS DISTINCT FROM $2`;

/** Holds job `jobId` unless it was made for `destination` (the one in effect now). Returns whether it was held. */
export async function holdJobElsewhere(db: TeamDatabase, jobId: number, destination: string | null): Promise<boolean> {
  const rows = await db.query(`${PG_HOLD_JOB_ELSEWHERE} RETURNING id`, [jobId, destination]);
  return rows.length === 1;
}
