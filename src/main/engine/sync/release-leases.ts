import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';
import { recordAttempt } from './record-attempt';
import { attemptLabel } from './retry-schedule';

interface ReleasedRow {
  id: number;
  attempts: number;
  initial_failed: number;
  manual_retries: number;
}

/**
 * Puts leased jobs back to `pending`, due now, without spending a retry. Nobody knows whether the
 * interrupted call reached iCIMS, so the job is in doubt: its next try reads the application's
 * notes back before writing (docs/INTERFACES.md §6). The history gets an `in_doubt` line so the
 * job detail shows why.
 */
const statements = perDatabase((db) => {
  const expired = db.prepare<[number, number, number], ReleasedRow>(
    `UPDATE sync_jobs
        SET status = 'pending', run_after = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL, in_doubt = 1
      WHERE id IN (SELECT id FROM sync_jobs INDEXED BY sync_jobs_status WHERE status = 'processing' AND lease_expires_at <= ?)
      RETURNING id, attempts, initial_failed, manual_retries`,
  );
  const owned = db.prepare<[number, number, string], ReleasedRow>(
    `UPDATE sync_jobs
        SET status = 'pending', run_after = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL, in_doubt = 1
      WHERE status = 'processing' AND lease_owner = ?
      RETURNING id, attempts, initial_failed, manual_retries`,
  );
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

/** Crash recovery: jobs whose lease ran out become pending, due now. Returns their ids. */
export function releaseExpiredLeases(db: Database, now: number): number[] {
  return statements(db).expired.immediate(now);
}

/** Graceful shutdown: every job `owner` still holds becomes pending, due now. Returns their ids. */
export function releaseOwnedLeases(db: Database, owner: string, now: number): number[] {
  return statements(db).owned.immediate(owner, now);
}
