import type { Database } from 'better-sqlite3';
import type { EventType } from '../../../shared/scheduling-event';
import { checkOrderOf } from './order-check';
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
  /**
   * True when the event id was already stored (earlier, or earlier in this batch), or its job was
   * pruned by retention and left a tombstone (then `jobId` is the pruned job's): nothing new was created.
   */
  duplicate: boolean;
}

interface OrderRow {
  id: number;
  occurred_at: number;
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
      number | null,
      number,
    ]
  >(
    `INSERT INTO sync_jobs (event_id, type, application_id, entity_type, entity_id, status, max_attempts,
                            payload, note_text, idempotency_key, run_after, created_at, updated_at, occurred_at,
                            destination, after_job_id, order_check)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (event_id) DO NOTHING`,
  );
  // Where a new job stands in its application's event order (claim-jobs.ts, migration 8). Usually
  // the application's newest job is open, unflagged and no later than the new one: it is then the
  // last open job in event order (an open job after it would have flagged it), and the new job
  // follows it. Otherwise the open jobs are read in event order.
  const newest = db.prepare<[string], OrderRow & { status: string; order_check: number }>(
    `SELECT id, occurred_at, status, order_check FROM sync_jobs INDEXED BY sync_jobs_application
      WHERE application_id = ? ORDER BY id DESC LIMIT 1`,
  );
  const lastOpen = db.prepare<[string], OrderRow>(
    `SELECT id, occurred_at FROM sync_jobs INDEXED BY sync_jobs_application
      WHERE application_id = ? AND (status = 'pending' OR status = 'processing')
      ORDER BY occurred_at DESC, id DESC LIMIT 1`,
  );
  const place = (applicationId: string, occurredAt: number): { after: number | null; outOfOrder: boolean } => {
    const m = newest.get(applicationId);
    if (m === undefined) return { after: null, outOfOrder: false };
    if ((m.status === 'pending' || m.status === 'processing') && m.order_check === 0 && m.occurred_at <= occurredAt)
      return { after: m.id, outOfOrder: false };
    const last = lastOpen.get(applicationId);
    if (last === undefined) return { after: null, outOfOrder: false };
    // The new job's id is the highest, so it comes after `last` unless its event is older.
    if (last.occurred_at <= occurredAt) return { after: last.id, outOfOrder: false };
    return { after: null, outOfOrder: true };
  };
  const existing = db.prepare<[string], number>('SELECT id FROM sync_jobs WHERE event_id = ?').pluck();
  // An event id whose job retention pruned (prune-jobs.ts, migration 9) is answered from its
  // tombstone. One primary-key probe per event, made before anything else: measured paired against
  // no probe at all, it costs nothing visible (a NOT EXISTS folded into the INSERT cost about a fifth of
  // the enqueue: INSERT … SELECT loses the single-row VALUES path). A job and a tombstone of one
  // event id never exist together, so the order of the two checks does not matter.
  const tombstone = db.prepare<[string], number>('SELECT job_id FROM event_tombstones WHERE event_id = ?').pluck();
  const enqueue = db.transaction((jobs: readonly NewJob[], now: number): EnqueuedJob[] =>
    jobs.map((job) => {
      const pruned = tombstone.get(job.eventId);
      if (pruned !== undefined) return { eventId: job.eventId, jobId: pruned, duplicate: true };
      const occurredAt = job.occurredAt ?? now;
      const { after, outOfOrder } = place(job.applicationId, occurredAt);
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
        occurredAt,
        job.destination ?? null,
        after,
        outOfOrder ? 1 : 0,
      );
      if (inserted.changes === 1) {
        // An event older than an open job of its application: that job must now wait for it.
        if (outOfOrder) checkOrderOf(db, [job.applicationId]);
        return { eventId: job.eventId, jobId: Number(inserted.lastInsertRowid), duplicate: false };
      }
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
