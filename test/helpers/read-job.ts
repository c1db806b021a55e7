import type { Database } from 'better-sqlite3';
import { ALL_JOB_FIELDS, jobColumns, withInitialFailed } from '../../src/main/engine/sync/job-row';
import type { JobRow, WithInitialFailed } from '../../src/main/engine/sync/job-row';

/** The job's stored row, under the engine's names, for tests that check what a queue operation wrote. */
export function readJob(db: Database, jobId: number): WithInitialFailed<JobRow> | null {
  const row = db
    .prepare<[number], JobRow>(`SELECT ${jobColumns(ALL_JOB_FIELDS)} FROM sync_jobs WHERE id = ?`)
    .get(jobId);
  return row ? withInitialFailed(row) : null;
}
