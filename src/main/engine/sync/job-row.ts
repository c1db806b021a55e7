/**
 * A job row under the engine's names, for SQLite and PostgreSQL side by side: one column mapping
 * per backend, so every read hands rows back keyed and typed as {@link JobRow} and both stores
 * reuse toJobSummary and the other mappings instead of copying rows field by field.
 *
 * What differs in PostgreSQL: payload and note text live in `sync_job_bodies` (joined as `b`, the
 * job as `j`); bigint columns (ids, epoch ms) would come back as strings, so they are read as
 * float8 (exact for ids and epoch ms below 2^53); booleans are read as 0 or 1, as SQLite stores them.
 */
import type { JobStatus, JobSummary } from '../../../shared/jobs';
import type { EventType } from '../../../shared/scheduling-event';

/** A `sync_jobs` row under the engine's names, as `jobColumns` reads it. Times are epoch ms. */
export interface JobRow {
  id: number;
  eventId: string;
  type: EventType;
  applicationId: string;
  entityId: string;
  entityType: string;
  status: JobStatus;
  /** Retries spent (the initial write is not one). */
  attempts: number;
  maxAttempts: number;
  /** 1 once the initial write failed retryably: the next try is retry `attempts + 1`. */
  initialFailed: number;
  manualRetries: number;
  lastError: string | null;
  /** The stored event, JSON. */
  payload: string;
  noteText: string;
  idempotencyKey: string;
  runAfter: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  /** The successful try of a completed job (migration 2); null while its history holds it. */
  successAt: number | null;
  successLabel: string | null;
  successStatusCode: number | null;
  successLatencyMs: number | null;
  /** The event's time (epoch ms): notes of one application land in this order. */
  occurredAt: number;
  /** 1 while the last write may have reached iCIMS unanswered: a read-back is owed. */
  inDoubt: number;
  /** When the job was first taken up to write: read-backs ignore notes older than this minus 5 min. */
  firstWriteAt: number | null;
  /** The note's id from iCIMS' 201 answer (applications style). */
  icimsNoteId: string | null;
  /** Where the note may be written (destination.ts); NULL only until the next start. */
  destination: string | null;
}

export type JobField = keyof JobRow;

/** The one mapping between the table's columns and the engine's names. */
const COLUMN_OF: Record<JobField, string> = {
  id: 'id',
  eventId: 'event_id',
  type: 'type',
  applicationId: 'application_id',
  entityId: 'entity_id',
  entityType: 'entity_type',
  status: 'status',
  attempts: 'attempts',
  maxAttempts: 'max_attempts',
  initialFailed: 'initial_failed',
  manualRetries: 'manual_retries',
  lastError: 'last_error',
  payload: 'payload',
  noteText: 'note_text',
  idempotencyKey: 'idempotency_key',
  runAfter: 'run_after',
  leaseOwner: 'lease_owner',
  leaseExpiresAt: 'lease_expires_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  completedAt: 'completed_at',
  successAt: 'success_at',
  successLabel: 'success_label',
  successStatusCode: 'success_status_code',
  successLatencyMs: 'success_latency_ms',
  occurredAt: 'occurred_at',
  inDoubt: 'in_doubt',
  firstWriteAt: 'first_write_at',
  icimsNoteId: 'icims_note_id',
  destination: 'destination',
};

/** The same mapping for a statement over `sync_jobs j` (and `sync_job_bodies b`) in PostgreSQL. */
const PG_EXPRESSION_OF: Record<JobField, string> = {
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

export const ALL_JOB_FIELDS = Object.keys(COLUMN_OF) as JobField[];

/**
 * A SELECT or RETURNING list (`event_id AS eventId, …`) that makes SQLite hand rows back keyed
 * as {@link JobRow}, so no statement copies its rows into objects field by field.
 */
export function jobColumns(fields: readonly JobField[]): string {
  return fields.map((field) => (COLUMN_OF[field] === field ? field : `${COLUMN_OF[field]} AS ${field}`)).join(', ');
}

/** `j.event_id AS "eventId", …` for a statement over `sync_jobs j` (and `sync_job_bodies b` when a body field is asked for). */
export function pgJobColumns(fields: readonly JobField[]): string {
  return fields.map((field) => `${PG_EXPRESSION_OF[field]} AS "${field}"`).join(', ');
}

/** The FROM clause every PostgreSQL job read uses: the body joins only when the columns name it. */
export function pgJobSource(fields: readonly JobField[]): string {
  const body = fields.includes('payload') || fields.includes('noteText');
  return body ? 'sync_jobs j JOIN sync_job_bodies b ON b.job_id = j.id' : 'sync_jobs j';
}

/** The status of a job (for the not-found / conflict answer after an update changed nothing). */
export const SQLITE_STATUS_OF = 'SELECT status FROM sync_jobs WHERE id = ?';
export const PG_STATUS_OF = 'SELECT status FROM sync_jobs WHERE id = $1';

/** A row with `initialFailed` as a boolean: SQLite stores it as 0 or 1. */
export type WithInitialFailed<R> = Omit<R, 'initialFailed'> & { initialFailed: boolean };

export function withInitialFailed<R extends { initialFailed: number }>(row: R): WithInitialFailed<R> {
  return { ...row, initialFailed: row.initialFailed !== 0 };
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();
export const isoTimeOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

/** The fields a summary needs, so list queries read no payloads. */
export const SUMMARY_FIELDS = [
  'id',
  'eventId',
  'type',
  'applicationId',
  'status',
  'attempts',
  'maxAttempts',
  'lastError',
  'runAfter',
  'createdAt',
  'updatedAt',
  'inDoubt',
  'destination',
] as const satisfies readonly JobField[];

export type SummaryRow = Pick<JobRow, (typeof SUMMARY_FIELDS)[number]>;

export function toJobSummary(row: SummaryRow): JobSummary {
  const { id, eventId, type, applicationId, status, attempts, maxAttempts, lastError } = row;
  return {
    id,
    eventId,
    type,
    applicationId,
    status,
    attempts,
    maxAttempts,
    lastError,
    // Only a pending job has a next run; for the others the stored value means nothing.
    runAfter: status === 'pending' ? isoTime(row.runAfter) : null,
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
    // A cancelled job is never sent again, so it owes no read-back (its history keeps the doubt).
    inDoubt: row.inDoubt !== 0 && status !== 'cancelled',
    destination: row.destination,
  };
}
