/**
 * Failure groups, SQLite and PostgreSQL side by side: failed, held, and pending jobs that already
 * failed a try, grouped by the same code (`failureGroupKey`, which reads the cause out of
 * `last_error`), so a group key from either store names the same jobs; Retry group and Cancel group
 * act on a group's members.
 *
 * What differs: SQLite takes `now` from the engine and updates member by member inside its
 * immediate transaction (which holds the write lock), then re-checks the order of the members'
 * applications (order-check.ts). PostgreSQL locks the problem rows while it picks the group's
 * members (FOR UPDATE), so a job that a claim or another console changes meanwhile is either seen
 * in its new state or waited for; it updates the members in one statement on the database clock
 * (the single-job retry SET list and the bulk cancel) and wakes the engines.
 */
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { FailureGroup, FailureGroupKind, FailureGroupList } from '../../../shared/failure-groups';
import { isoTime } from './job-row';
import { adviceFor, failureCause } from './failure-causes';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';
import { ConsoleApiError } from '../../../shared/console-api';
import type { TeamDatabase } from '../team/pg-connection';
import { notifyJobsDue } from '../team/pg-queue/queue-channel';
import { PG_CANCEL_JOBS } from './bulk-job-actions';
import { PG_RETRY_SET } from './retry-job';

/** A job that belongs in a failure group: what the grouping reads of it (both stores select these columns). */
export interface ProblemRow {
  id: number;
  status: string;
  application_id: string;
  last_error: string | null;
  updated_at: number;
  destination: string | null;
}

/**
 * The jobs that belong in failure groups: failed, held, and pending ones that already failed a
 * try (waiting for a retry or a hold). The team store selects the same rows (PG_PROBLEMS).
 */
export const PROBLEM_CONDITION =
  "status = 'failed' OR status = 'held' OR (status = 'pending' AND last_error IS NOT NULL)";

// Each from its range of the (status, id) index.
const SQLITE_PROBLEMS = `SELECT id, status, application_id, last_error, updated_at, destination FROM sync_jobs
      WHERE ${PROBLEM_CONDITION} ORDER BY id`;

export const PG_PROBLEMS = `
  SELECT id::float8 AS id, status, application_id, last_error, updated_at::float8 AS updated_at, destination
    FROM sync_jobs WHERE ${PROBLEM_CONDITION} ORDER BY id`;

// SQLite retries a group member by member: a failed one gets a fresh retry budget, a waiting one
// only stops waiting. PostgreSQL does both in one statement (retry-job.ts's SET list).
const SQLITE_RETRY_FAILED = `UPDATE sync_jobs SET attempts = 0, initial_failed = 0, manual_retries = manual_retries + 1,
            status = 'pending', run_after = ?, updated_at = ?
      WHERE id = ? AND status = 'failed'`;

const SQLITE_RUN_NOW = `UPDATE sync_jobs SET run_after = ?, updated_at = ? WHERE id = ? AND status = 'pending'`;

export const PG_RETRY_GROUP = `
  UPDATE sync_jobs SET ${PG_RETRY_SET} WHERE id = ANY($1::bigint[]) AND status IN ('failed', 'pending')`;

// PostgreSQL cancels a group with the bulk cancel (bulk-job-actions.ts's PG_CANCEL_JOBS).
const SQLITE_CANCEL = `UPDATE sync_jobs SET status = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND status IN ('pending', 'failed', 'held')`;

const statements = perDatabase((db) => ({
  problems: db.prepare<[], ProblemRow>(SQLITE_PROBLEMS),
  retryFailed: db.prepare<[number, number, number]>(SQLITE_RETRY_FAILED),
  runNow: db.prepare<[number, number, number]>(SQLITE_RUN_NOW),
  cancel: db.prepare<[number, number]>(SQLITE_CANCEL),
}));

const kindOf = (status: string): FailureGroupKind =>
  status === 'held' ? 'held' : status === 'failed' ? 'failed' : 'waiting';

/**
 * A job's failure group: its kind and its cause (failure-causes.ts) make the key, so two jobs
 * share a group — in either store — exactly when they failed the same way.
 */
export function failureGroupKey(row: ProblemRow): {
  key: string;
  kind: FailureGroupKind;
  cause: ReturnType<typeof failureCause>;
} {
  const kind = kindOf(row.status);
  const cause = failureCause(row.last_error, row.application_id);
  // Held jobs are one group per destination, whatever they failed with before.
  const key =
    kind === 'held'
      ? `held|${row.destination ?? ''}`
      : `${kind}|${cause.statusCode ?? ''}|${cause.errorCode ?? ''}|${cause.cause}`;
  return { key, kind, cause };
}

/** Failed, waiting and held jobs by cause, the largest group first. */
export function listFailureGroups(db: Database): FailureGroupList {
  return groupFailures(statements(db).problems.iterate());
}

/** listFailureGroups on the team database. */
export async function pgListFailureGroups(db: TeamDatabase): Promise<FailureGroupList> {
  return groupFailures(await db.query<ProblemRow>(PG_PROBLEMS));
}

/** The failure groups of these jobs (rows in id order), the largest group first: the list both stores answer. */
export function groupFailures(rows: Iterable<ProblemRow>): FailureGroupList {
  const groups = new Map<string, FailureGroup>();
  for (const row of rows) {
    const { key, kind, cause } = failureGroupKey(row);
    const at = isoTime(row.updated_at);
    const group = groups.get(key);
    if (group) {
      group.count += 1;
      if (at < group.firstSeen) group.firstSeen = at;
      if (at >= group.lastSeen) {
        group.lastSeen = at;
        group.example = { jobId: row.id, applicationId: row.application_id, error: row.last_error };
      }
      continue;
    }
    const advice = adviceFor(kind, cause.statusCode, row.destination);
    groups.set(key, {
      key,
      kind,
      statusCode: kind === 'held' ? null : cause.statusCode,
      errorCode: kind === 'held' ? null : cause.errorCode,
      cause: kind === 'held' ? `Made for ${row.destination ?? 'another iCIMS'}` : cause.cause,
      count: 1,
      firstSeen: at,
      lastSeen: at,
      example: { jobId: row.id, applicationId: row.application_id, error: row.last_error },
      meaning: advice.meaning,
      action: advice.action,
      permanent: advice.permanent,
      destination: kind === 'held' ? row.destination : null,
      retryable: kind !== 'held',
    });
  }
  const list = [...groups.values()].sort((a, b) => b.count - a.count || (a.lastSeen < b.lastSeen ? 1 : -1));
  const failedPermanently = list.filter((g) => g.kind === 'failed' && g.permanent).reduce((sum, g) => sum + g.count, 0);
  return { groups: list, failedPermanently };
}

/** The ids of the jobs that have this cause now (none when no job has it any more). */
export function jobIdsWithCause(db: Database, key: string): number[] {
  return statements(db)
    .problems.all()
    .filter((row) => failureGroupKey(row).key === key)
    .map((row) => row.id);
}

/** jobIdsWithCause on the team database. */
export async function pgJobIdsWithCause(db: TeamDatabase, key: string): Promise<number[]> {
  return (await db.query<ProblemRow>(PG_PROBLEMS))
    .filter((row) => failureGroupKey(row).key === key)
    .map((row) => row.id);
}

/**
 * The jobs of group `key` among `rows`, for Retry group and Cancel group in either store: none
 * left is 404; `retry` of a held group is 409 (those jobs were made for another iCIMS).
 */
export function groupMembers<R extends ProblemRow>(rows: readonly R[], key: string, action: 'retry' | 'cancel'): R[] {
  const members = rows.filter((row) => failureGroupKey(row).key === key);
  if (members.length === 0)
    throw new ConsoleApiError(
      'not_found',
      'No job has this cause any more: it was retried, cancelled or completed meanwhile.',
    );
  if (action === 'retry' && members.some((row) => row.status === 'held'))
    throw new ConsoleApiError(
      'conflict',
      'These jobs were made for another iCIMS and are held; point the console back at it, or cancel them.',
    );
  return members;
}

/**
 * Retry group: failed jobs get a fresh retry budget, waiting ones stop waiting; all run now.
 * Held jobs cannot be retried here: they were made for another iCIMS. Returns how many moved.
 */
export function retryFailureGroup(db: Database, key: string, now: number): number {
  const s = statements(db);
  return db
    .transaction(() => {
      let moved = 0;
      const members = groupMembers(s.problems.all(), key, 'retry');
      for (const row of members) {
        const statement = row.status === 'failed' ? s.retryFailed : s.runNow;
        moved += statement.run(now, now, row.id).changes;
      }
      checkOrderOf(
        db,
        members.map((row) => row.application_id),
      );
      return moved;
    })
    .immediate();
}

async function pgLockedMembers(client: PoolClient, key: string, action: 'retry' | 'cancel'): Promise<number[]> {
  const { rows } = await client.query<ProblemRow>(`${PG_PROBLEMS} FOR UPDATE`);
  return groupMembers(rows, key, action).map((row) => row.id);
}

/** retryFailureGroup on the team database: due now on the database clock, engines woken. */
export function pgRetryFailureGroup(db: TeamDatabase, key: string): Promise<number> {
  return db.transaction(async (client) => {
    const ids = await pgLockedMembers(client, key, 'retry');
    const { rowCount } = await client.query(PG_RETRY_GROUP, [ids]);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}

/** Cancel group: every job of the cause is cancelled and never sent. Returns how many. */
export function cancelFailureGroup(db: Database, key: string, now: number): number {
  const s = statements(db);
  return db
    .transaction(() => {
      const members = groupMembers(s.problems.all(), key, 'cancel');
      const cancelled = members.reduce((n, row) => n + s.cancel.run(now, row.id).changes, 0);
      checkOrderOf(
        db,
        members.map((row) => row.application_id),
      );
      return cancelled;
    })
    .immediate();
}

/** cancelFailureGroup on the team database. */
export function pgCancelFailureGroup(db: TeamDatabase, key: string): Promise<number> {
  return db.transaction(async (client) => {
    const ids = await pgLockedMembers(client, key, 'cancel');
    const { rows } = await client.query<{ was: string }>(PG_CANCEL_JOBS, [ids]);
    // A cancelled pending job may let a later job of its application go (cancel-job.ts).
    if (rows.some((row) => row.was === 'pending')) await notifyJobsDue(client);
    return rows.length;
  });
}
