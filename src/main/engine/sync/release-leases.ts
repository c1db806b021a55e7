/**
 * Release leases, SQLite and PostgreSQL side by side: leased jobs go back to `pending`, due now,
 * without spending a retry — all whose lease ran out (crash recovery) or all one owner holds
 * (graceful shutdown). Nobody knows whether the interrupted call reached iCIMS, so the job is in
 * doubt: its next try reads the application's notes back before writing (docs/INTERFACES.md §6),
 * and its history gets a line saying why.
 *
 * What differs: SQLite takes `now` from the engine and writes the history line per job in the
 * engine (attemptLabel, outcome `in_doubt`). PostgreSQL releases for the whole team on the
 * database clock — any engine may release an engine that died, SKIP LOCKED keeps two sweeps from
 * waiting on each other — writes the history in the same statement (the label is attemptLabel
 * written in SQL, outcome `released`), clears the lease token, and wakes the engines.
 */
import type { Database } from 'better-sqlite3';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW, notifyJobsDue } from '../team/pg-queue/queue-channel';
import { perDatabase } from './per-database';
import { recordAttempt } from './record-attempt';
import { attemptLabel } from './retry-schedule';

interface ReleasedRow {
  id: number;
  attempts: number;
  initial_failed: number;
  manual_retries: number;
}

const SQLITE_RELEASE_EXPIRED = `UPDATE sync_jobs
        SET status = 'pending', run_after = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL, in_doubt = 1
      WHERE id IN (SELECT id FROM sync_jobs INDEXED BY sync_jobs_status WHERE status = 'processing' AND lease_expires_at <= ?)
      RETURNING id, attempts, initial_failed, manual_retries`;

const PG_RELEASED_HISTORY = (why: string): string => `
  INSERT INTO job_attempts (job_id, at, label, outcome, error)
  SELECT id, ${DB_NOW},
         CASE WHEN NOT initial_failed THEN CASE WHEN manual_retries > 0 THEN 'manual retry' ELSE 'initial' END
              ELSE 'retry ' || (attempts + 1) END,
         'released', '${why}'
    FROM released
  RETURNING job_id`;

export const PG_RELEASE_EXPIRED = `
  WITH expired AS (
    SELECT id FROM sync_jobs
     WHERE status = 'processing' AND lease_expires_at <= ${DB_NOW}
     FOR UPDATE SKIP LOCKED),
  released AS (
    UPDATE sync_jobs j
       SET status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW},
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           -- The call may have reached iCIMS: read the notes back before writing again.
           in_doubt = true
      FROM expired WHERE j.id = expired.id
    RETURNING j.id, j.attempts, j.initial_failed, j.manual_retries)
  ${PG_RELEASED_HISTORY('Lease expired (the engine stopped, crashed or lost the database mid-call); taken up again without spending a retry.')}`;

const SQLITE_RELEASE_OWNED = `UPDATE sync_jobs
        SET status = 'pending', run_after = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL, in_doubt = 1
      WHERE status = 'processing' AND lease_owner = ?
      RETURNING id, attempts, initial_failed, manual_retries`;

export const PG_RELEASE_OWNED = `
  WITH released AS (
    UPDATE sync_jobs
       SET status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW},
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           -- The call may have reached iCIMS: read the notes back before writing again.
           in_doubt = true
     WHERE status = 'processing' AND lease_owner = $1
    RETURNING id, attempts, initial_failed, manual_retries)
  ${PG_RELEASED_HISTORY('Released at shutdown before the call finished; taken up again without spending a retry.')}`;

const statements = perDatabase((db) => {
  const expired = db.prepare<[number, number, number], ReleasedRow>(SQLITE_RELEASE_EXPIRED);
  const owned = db.prepare<[number, number, string], ReleasedRow>(SQLITE_RELEASE_OWNED);
  const note = (rows: ReleasedRow[], now: number, why: string): number[] => {
    for (const row of rows) {
      const label = attemptLabel({
        attempts: row.attempts,
        initialFailed: row.initial_failed !== 0,
        manualRetries: row.manual_retries,
      });
      recordAttempt(db, row.id, { at: now, label, outcome: 'in_doubt', statusCode: null, latencyMs: null, error: why });
    }
    return rows.map((row) => row.id).sort((a, b) => a - b);
  };
  return {
    expired: db.transaction((now: number) =>
      note(
        expired.all(now, now, now),
        now,
        'Lease expired (the worker stopped or crashed mid-call): whether iCIMS got the note is unknown; taken up again without spending a retry.',
      ),
    ),
    owned: db.transaction((owner: string, now: number) =>
      note(
        owned.all(now, now, owner),
        now,
        'Released at shutdown before the call finished: whether iCIMS got the note is unknown; taken up again without spending a retry.',
      ),
    ),
  };
});

async function pgRelease(db: TeamDatabase, sql: string, values: unknown[]): Promise<number[]> {
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ job_id: string }>(sql, values);
    if (rows.length > 0) await notifyJobsDue(client);
    return rows.map((row) => Number(row.job_id)).sort((a, b) => a - b);
  });
}

/** Crash recovery: jobs whose lease ran out become pending, due now. Returns their ids. */
export function releaseExpiredLeases(db: Database, now: number): number[] {
  return statements(db).expired.immediate(now);
}

/** releaseExpiredLeases for the whole team. */
export function pgReleaseExpiredLeases(db: TeamDatabase): Promise<number[]> {
  return pgRelease(db, PG_RELEASE_EXPIRED, []);
}

/** Graceful shutdown: every job `owner` still holds becomes pending, due now. Returns their ids. */
export function releaseOwnedLeases(db: Database, owner: string, now: number): number[] {
  return statements(db).owned.immediate(owner, now);
}

/** releaseOwnedLeases on the team database. */
export function pgReleaseOwnedLeases(db: TeamDatabase, owner: string): Promise<number[]> {
  return pgRelease(db, PG_RELEASE_OWNED, [owner]);
}
