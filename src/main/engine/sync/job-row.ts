import type { JobStatus, JobSummary } from '../../../shared/jobs';
import type { EventType } from '../../../shared/scheduling-event';

/** A `sync_jobs` row as SQLite returns it. */
export interface JobRow {
  id: number;
  type: string;
  event_id: string;
  application_id: string;
  entity_id: string;
  entity_type: string;
  status: string;
  attempts: number;
  max_attempts: number;
  initial_failed: number;
  manual_retries: number;
  last_error: string | null;
  payload: string;
  note_text: string;
  idempotency_key: string;
  run_after: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  /** The successful try of a completed job (migration 2); NULL while its history holds it. */
  success_at: number | null;
  success_label: string | null;
  success_status_code: number | null;
  success_latency_ms: number | null;
  /** Where the note may be written (migration 4, destination.ts); NULL only until the next start. */
  destination: string | null;
}

/** A sync job as the engine works with it. Times are epoch ms. */
export interface Job {
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
  /** True once the initial write failed retryably: the next try is retry `attempts + 1`. */
  initialFailed: boolean;
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
}

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    eventId: row.event_id,
    type: row.type as EventType,
    applicationId: row.application_id,
    entityId: row.entity_id,
    entityType: row.entity_type,
    status: row.status as JobStatus,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    initialFailed: row.initial_failed !== 0,
    manualRetries: row.manual_retries,
    lastError: row.last_error,
    payload: row.payload,
    noteText: row.note_text,
    idempotencyKey: row.idempotency_key,
    runAfter: row.run_after,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();
export const isoTimeOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

/** The columns a summary needs, so list queries read no payloads. */
export const SUMMARY_COLUMNS =
  'id, event_id, type, application_id, status, attempts, max_attempts, last_error, run_after, created_at, updated_at, destination';

export type SummaryRow = Pick<
  JobRow,
  | 'id'
  | 'event_id'
  | 'type'
  | 'application_id'
  | 'status'
  | 'attempts'
  | 'max_attempts'
  | 'last_error'
  | 'run_after'
  | 'created_at'
  | 'updated_at'
  | 'destination'
>;

export function toJobSummary(row: SummaryRow): JobSummary {
  return {
    id: row.id,
    eventId: row.event_id,
    type: row.type as EventType,
    applicationId: row.application_id,
    status: row.status as JobStatus,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    // Only a pending job has a next run; for the others the stored value means nothing.
    runAfter: row.status === 'pending' ? isoTime(row.run_after) : null,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    destination: row.destination,
  };
}
