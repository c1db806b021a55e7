import type { JobField } from '../../sync/job-row';

/**
 * The PostgreSQL side of sync/job-row.ts's column mapping: a SELECT list that hands rows back
 * keyed and typed as the SQLite store's JobRow, so the team store reuses toJobSummary and the
 * other mappings instead of copying rows field by field in every file.
 *
 * Three differences are absorbed here: payload and note text live in `sync_job_bodies` (joined as
 * `b`, the job as `j`); bigint columns (ids, epoch ms) would come back as strings, so they are
 * read as float8 (exact for ids and epoch ms below 2^53); booleans are read as 0 or 1, as SQLite
 * stores them.
 */
const EXPRESSION_OF: Record<JobField, string> = {
  id: 'j.id::float8',
  eventId: 'j.event_id',
  type: 'j.type',
  applicationId: 'j.application_id',
  entityId: 'j.entity_id',
  entityType: 'j.entity_type',
  status: 'j.status',
  attempts: 'j.attempts',
  maxAttempts: 'j.max_attempts',
  initialFailed: 'j.initial_failed::int',
  manualRetries: 'j.manual_retries',
  lastError: 'j.last_error',
  payload: 'b.payload',
  noteText: 'b.note_text',
  idempotencyKey: 'j.idempotency_key',
  runAfter: 'j.run_after::float8',
  leaseOwner: 'j.lease_owner',
  leaseExpiresAt: 'j.lease_expires_at::float8',
  createdAt: 'j.created_at::float8',
  updatedAt: 'j.updated_at::float8',
  completedAt: 'j.completed_at::float8',
  successAt: 'j.success_at::float8',
  successLabel: 'j.success_label',
  successStatusCode: 'j.success_status_code',
  successLatencyMs: 'j.success_latency_ms',
  occurredAt: 'j.occurred_at::float8',
  inDoubt: 'j.in_doubt::int',
  firstWriteAt: 'j.first_write_at::float8',
  icimsNoteId: 'j.icims_note_id',
  destination: 'j.destination',
};

/** `j.event_id AS "eventId", …` for a statement over `sync_jobs j` (and `sync_job_bodies b` when a body field is asked for). */
export function pgJobColumns(fields: readonly JobField[]): string {
  return fields.map((field) => `${EXPRESSION_OF[field]} AS "${field}"`).join(', ');
}

/** The FROM clause every job read uses: the body joins only when the columns name it. */
export function pgJobSource(fields: readonly JobField[]): string {
  const body = fields.includes('payload') || fields.includes('noteText');
  return body ? 'sync_jobs j JOIN sync_job_bodies b ON b.job_id = j.id' : 'sync_jobs j';
}

/** The status of a job (for the not-found / conflict answer after an update changed nothing). */
export const PG_STATUS_OF = 'SELECT status FROM sync_jobs WHERE id = $1';
