import type { JobAttempt, JobDetail } from '../../../../shared/jobs';
import { toJobDetail } from '../../sync/job-detail';
import { ALL_JOB_FIELDS, isoTime } from '../../sync/job-row';
import type { JobRow } from '../../sync/job-row';
import { JobNotFoundError } from '../../sync/queue-errors';
import type { TeamDatabase } from '../pg-connection';
import { pgJobColumns, pgJobSource } from './job-row';

/**
 * PostgreSQL side of sync/job-detail.ts: the summary plus the note, the key, the event and every
 * try, oldest first. The history is the rows in job_attempts and then the successful try a
 * completed job keeps on its own row (complete-job.ts), which is always the newest; one statement
 * puts them in that order.
 */
export const PG_JOB_DETAIL = `SELECT ${pgJobColumns(ALL_JOB_FIELDS)} FROM ${pgJobSource(ALL_JOB_FIELDS)} WHERE j.id = $1`;

export const PG_JOB_HISTORY = `
  SELECT at, label, outcome, "statusCode", "latencyMs", error FROM (
    SELECT 0 AS part, id, at::float8 AS at, label, outcome, status_code AS "statusCode", latency_ms AS "latencyMs", error
      FROM job_attempts WHERE job_id = $1
    UNION ALL
    SELECT 1, id, success_at::float8, coalesce(success_label, ''), 'success', success_status_code, success_latency_ms, NULL
      FROM sync_jobs WHERE id = $1 AND success_at IS NOT NULL) history
  ORDER BY part, id`;

export async function getJobDetail(db: TeamDatabase, jobId: number): Promise<JobDetail> {
  const [row] = await db.query<JobRow>(PG_JOB_DETAIL, [jobId]);
  if (!row) throw new JobNotFoundError(jobId);
  const history = await db.query<Omit<JobAttempt, 'at'> & { at: number }>(PG_JOB_HISTORY, [jobId]);
  return toJobDetail(
    row,
    history.map((attempt) => ({ ...attempt, at: isoTime(attempt.at) })),
  );
}
