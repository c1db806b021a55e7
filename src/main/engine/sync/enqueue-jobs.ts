import type { Database } from 'better-sqlite3';
import type { EventType } from '../../../shared/scheduling-event';
import { perDatabase } from './per-database';

export interface NewJob {
  eventId: string;
  type: EventType;
  applicationId: string;
  entityType: string;
  entityId: string;
  /** The validated event, JSON. */
  payload: string;
  noteText: string;
  idempotencyKey: string;
  maxAttempts: number;
  /** Epoch ms; ingest uses `now` so the worker writes the note at once. */
  runAfter: number;
  /**
   * The event's `occurredAt`, epoch ms: an application's notes are written in this order
   * (docs/INTERFACES.md §6). Default: when the job is stored.
   */
  occurredAt?: number;
  /** The iCIMS the note may be written to (destination.ts); the worker sends it nowhere else. */
  destination?: string | null;
}

export interface EnqueuedJob {
  eventId: string;
  jobId: number;
  /** True when the event id was already stored (earlier, or earlier in this batch): nothing new was created. */
  duplicate: boolean;
}

const statements = perDatabase((db) => {
  // run() rather than RETURNING: reading the new id from lastInsertRowid saves a fifth of the
  // insert's cost, and `changes` tells a stored row from a conflict just as well.
  const insert = db.prepare<
    [
      string,
      string,
      string,
      string,
      string,
      number,
      string,
      string,
      string,
      number,
      number,
      number,
      number,
      string | null,
    ]
  >(
    `INSERT INTO sync_jobs (event_id, type, application_id, entity_type, entity_id, status, max_attempts,
                            payload, note_text, idempotency_key, run_after, created_at, updated_at, occurred_at,
                            destination)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (event_id) DO NOTHING`,
  );
  const existing = db.prepare<[string], number>('SELECT id FROM sync_jobs WHERE event_id = ?').pluck();
  const enqueue = db.transaction((jobs: readonly NewJob[], now: number): EnqueuedJob[] =>
    jobs.map((job) => {
      const inserted = insert.run(
        job.eventId,
        job.type,
        job.applicationId,
        job.entityType,
        job.entityId,
        job.maxAttempts,
        job.payload,
        job.noteText,
        job.idempotencyKey,
        job.runAfter,
        now,
        now,
        job.occurredAt ?? now,
        job.destination ?? null,
      );
      if (inserted.changes === 1)
        return { eventId: job.eventId, jobId: Number(inserted.lastInsertRowid), duplicate: false };
      // The earlier row is visible here whether it was committed before or inserted earlier in
      // this same transaction, so duplicates inside one batch resolve like duplicates across batches.
      const id = existing.get(job.eventId);
      if (id === undefined) throw new Error(`event ${job.eventId} conflicted but no job holds it`);
      return { eventId: job.eventId, jobId: id, duplicate: true };
    }),
  );
  return { enqueue };
});

/** Stores jobs in one immediate transaction: all of them, or (on any error) none. */
export function enqueueJobs(db: Database, jobs: readonly NewJob[], now: number): EnqueuedJob[] {
  return statements(db).enqueue.immediate(jobs, now);
}
