import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';

const statements = perDatabase((db) =>
  db.prepare<[string]>(
    `UPDATE sync_jobs SET order_check = 1
      WHERE application_id = ? AND (status = 'pending' OR status = 'processing') AND order_check = 0`,
  ),
);

/**
 * The open jobs of these applications are checked against every job of their application when
 * claimed (claim-jobs.ts), not just against the job they were stored behind. Called, inside its
 * transaction, by every change to the open jobs other than a job stored at the end of its
 * application's order, claimed, or settled after its try: an event older than an open job, a
 * retry or release that reopens a job, a pending job cancelled or held. Those leave a job's
 * `after_job_id` pointing past a job it must still wait for (or at one that no longer counts).
 */
export function checkOrderOf(db: Database, applicationIds: Iterable<string>): void {
  const flag = statements(db);
  for (const applicationId of new Set(applicationIds)) flag.run(applicationId);
}
