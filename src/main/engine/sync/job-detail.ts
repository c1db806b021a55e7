/**
 * The job detail, SQLite and PostgreSQL side by side: the summary plus the note, the key, the event
 * and every try, oldest first — the rows in job_attempts, then the successful try a completed job
 * keeps on its own row (complete-job.ts), which is always the newest. Mapped by the same code
 * (toJobDetail).
 *
 * What differs: SQLite reads the tries and appends the row's success in the engine (historyOf);
 * PostgreSQL puts both in that order in one statement, joins the body (`sync_job_bodies`) for the
 * note and the event, and reads epoch ms as float8.
 */
import type { Database } from 'better-sqlite3';
import type { JobAttempt, JobDetail } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { ALL_JOB_FIELDS, isoTime, isoTimeOrNull, jobColumns, pgJobColumns, pgJobSource, toJobSummary } from './job-row';
import type { JobRow } from './job-row';
import { perDatabase } from './per-database';
import { JobNotFoundError } from './queue-errors';

interface AttemptRow {
  at: number;
  label: string;
  outcome: JobAttempt['outcome'];
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
}

const SQLITE_JOB_DETAIL = `SELECT ${jobColumns(ALL_JOB_FIELDS)} FROM sync_jobs WHERE id = ?`;
export const PG_JOB_DETAIL = `SELECT ${pgJobColumns(ALL_JOB_FIELDS)} FROM ${pgJobSource(ALL_JOB_FIELDS)} WHERE j.id = $1`;

const SQLITE_JOB_HISTORY =
  'SELECT at, label, outcome, status_code, latency_ms, error FROM job_attempts WHERE job_id = ? ORDER BY id';
export const PG_JOB_HISTORY = `
  SELECT at, label, outcome, "statusCode", "latencyMs", error FROM (
    SELECT 0 AS part, id, at::float8 AS at, label, outcome, status_code AS "statusCode", latency_ms AS "latencyMs", error
      FROM job_attempts WHERE job_id = $1
    UNION ALL
    SELECT 1, id, success_at::float8, coalesce(success_label, ''), 'success', success_status_code, success_latency_ms, NULL
      FROM sync_jobs WHERE id = $1 AND success_at IS NOT NULL) history
  ORDER BY part, id`;

const statements = perDatabase((db) => ({
  job: db.prepare<[number], JobRow>(SQLITE_JOB_DETAIL),
  history: db.prepare<[number], AttemptRow>(SQLITE_JOB_HISTORY),
}));

/** The Jobs screen's detail view: the summary plus the note, the key, the event and every try, oldest first. */
export function getJobDetail(db: Database, jobId: number): JobDetail {
  const s = statements(db);
  const row = s.job.get(jobId);
  if (!row) throw new JobNotFoundError(jobId);
  return toJobDetail(row, historyOf(row, s.history.all(jobId)));
}

/** getJobDetail on the team database. */
export async function pgGetJobDetail(db: TeamDatabase, jobId: number): Promise<JobDetail> {
  // One snapshot for the row and its tries: read apart, a try an engine recorded in between
  // showed next to the status from before it (a job "processing" with its failed try listed).
  const { row, history } = await db.transaction(async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const [job] = (await client.query<JobRow>(PG_JOB_DETAIL, [jobId])).rows;
    if (!job) throw new JobNotFoundError(jobId);
    const tries = (await client.query<Omit<JobAttempt, 'at'> & { at: number }>(PG_JOB_HISTORY, [jobId])).rows;
    return { row: job, history: tries };
  });
  return toJobDetail(
    row,
    history.map((attempt) => ({ ...attempt, at: isoTime(attempt.at) })),
  );
}

/** A job row and its tries, oldest first, as the detail view shows them (both stores). */
export function toJobDetail(row: JobRow, history: JobAttempt[]): JobDetail {
  return {
    ...toJobSummary(row),
    entityType: row.entityType,
    entityId: row.entityId,
    noteText: row.noteText,
    idempotencyKey: row.idempotencyKey,
    event: parseEvent(row.payload),
    leaseExpiresAt: isoTimeOrNull(row.leaseExpiresAt),
    completedAt: isoTimeOrNull(row.completedAt),
    icimsNoteId: row.icimsNoteId,
    history,
  };
}

/**
 * Every try, oldest first: the rows in job_attempts, then the successful try a completed job
 * keeps on its own row (complete-job.ts), which is always the newest.
 */
function historyOf(row: JobRow, attempts: AttemptRow[]): JobAttempt[] {
  const history: JobAttempt[] = attempts.map((a) => ({
    at: isoTime(a.at),
    label: a.label,
    outcome: a.outcome,
    statusCode: a.status_code,
    latencyMs: a.latency_ms,
    error: a.error,
  }));
  if (row.successAt !== null) {
    history.push({
      at: isoTime(row.successAt),
      label: row.successLabel ?? '',
      outcome: 'success',
      statusCode: row.successStatusCode,
      latencyMs: row.successLatencyMs,
      error: null,
    });
  }
  return history;
}

function parseEvent(payload: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(payload);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { unreadable: payload };
  }
}
