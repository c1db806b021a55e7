import type { PoolClient } from 'pg';
import type { FailureGroupList } from '../../../../shared/failure-groups';
import { failureGroupKey, groupFailures, groupMembers, PROBLEM_CONDITION } from '../../sync/failure-groups';
import type { ProblemRow } from '../../sync/failure-groups';
import type { TeamDatabase } from '../pg-connection';
import { PG_CANCEL_JOBS } from './bulk-job-actions';
import { notifyJobsDue } from './queue-channel';
import { PG_RETRY_SET } from './retry-job';

/**
 * PostgreSQL side of sync/failure-groups.ts. The rows are the same (failed, held, and pending jobs
 * that already failed a try) and are grouped by the same code (`failureGroupKey`, which reads the
 * cause out of `last_error`), so a group key from either store names the same jobs.
 *
 * Retry group and Cancel group lock the problem rows while they pick the group's members, so a job
 * that a claim or another console changes meanwhile is either seen in its new state or waited for.
 */
export const PG_PROBLEMS = `
  SELECT id::float8 AS id, status, application_id, last_error, updated_at::float8 AS updated_at, destination
    FROM sync_jobs WHERE ${PROBLEM_CONDITION} ORDER BY id`;

// A failed job gets a fresh retry budget, a waiting one stops waiting; both due now (retry-job.ts).
export const PG_RETRY_GROUP = `
  UPDATE sync_jobs SET ${PG_RETRY_SET} WHERE id = ANY($1::bigint[]) AND status IN ('failed', 'pending')`;

/** Failed, waiting and held jobs by cause, the largest group first. */
export async function listFailureGroups(db: TeamDatabase): Promise<FailureGroupList> {
  return groupFailures(await db.query<ProblemRow>(PG_PROBLEMS));
}

/** The ids of the jobs that have this cause now (none when no job has it any more). */
export async function jobIdsWithCause(db: TeamDatabase, key: string): Promise<number[]> {
  return (await db.query<ProblemRow>(PG_PROBLEMS))
    .filter((row) => failureGroupKey(row).key === key)
    .map((row) => row.id);
}

async function lockedMembers(client: PoolClient, key: string, action: 'retry' | 'cancel'): Promise<number[]> {
  const { rows } = await client.query<ProblemRow>(`${PG_PROBLEMS} FOR UPDATE`);
  return groupMembers(rows, key, action).map((row) => row.id);
}

/**
 * Retry group: failed jobs get a fresh retry budget, waiting ones stop waiting; all due now on the
 * database clock, engines woken. 404 when no job has the cause any more, 409 for a held group.
 */
export function retryFailureGroup(db: TeamDatabase, key: string): Promise<number> {
  return db.transaction(async (client) => {
    const ids = await lockedMembers(client, key, 'retry');
    const { rowCount } = await client.query(PG_RETRY_GROUP, [ids]);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}

/** Cancel group: every job of the cause is cancelled and never sent. Returns how many. */
export function cancelFailureGroup(db: TeamDatabase, key: string): Promise<number> {
  return db.transaction(async (client) => {
    const ids = await lockedMembers(client, key, 'cancel');
    const { rows } = await client.query<{ was: string }>(PG_CANCEL_JOBS, [ids]);
    // A cancelled pending job may let a later job of its application go (cancel-job.ts).
    if (rows.some((row) => row.was === 'pending')) await notifyJobsDue(client);
    return rows.length;
  });
}
