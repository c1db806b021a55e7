/**
 * Store new jobs, SQLite and PostgreSQL side by side. A batch is stored whole or (on any error)
 * not at all, and answered in input order. An event id is stored once: a re-sent one — stored
 * earlier, earlier in the same batch, or pruned by retention (prune-jobs.ts), whose tombstone then
 * answers with the pruned job's id — is a duplicate and creates nothing, so a late re-send never
 * becomes a second note.
 *
 * What differs: SQLite goes job by job in one immediate transaction (it holds the write lock, so
 * nothing interleaves, and the single-row insert is its fastest path), takes `now` from the engine,
 * and records where each new job stands in its application's event order (`after_job_id`,
 * `order_check`: claim-jobs.ts follows them). PostgreSQL stores the whole batch in one statement —
 * the jobs go as one array per column, unnested in input order, inserted with ON CONFLICT DO
 * NOTHING together with their bodies (payload and note text, a table of their own there) — on the
 * database clock, each new job due at once (`runAfter` is not taken from the engine); its claim
 * asks an application's earlier jobs directly, so nothing about order is recorded. Other engines
 * store events at the same time there: an event id another engine committed while this statement
 * waited on it is not in the statement's snapshot, so one follow-up SELECT (READ COMMITTED: a new
 * snapshot) answers those. New jobs wake the listening engines (one NOTIFY, sent with the commit).
 */
import type { Database } from 'better-sqlite3';
import type { EventType } from '../../../shared/scheduling-event';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW, notifyJobsDue } from '../team/pg-queue/queue-channel';
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

/**
 * The PostgreSQL batch: `$1`…`$11` are one array per column, a job per index, no event id twice
 * (pgEnqueueJobs stores the first and answers the others from it). Answers one row per job, in
 * input order: the new job's id, or the id that already holds the event id — its tombstone's, or
 * its job's if that was committed before the statement began; neither: committed meanwhile.
 *
 * Ids follow input order (jobs of one batch share their times, so the id is what orders an
 * application's jobs of the same moment): they are drawn in input order first. The rows are then
 * inserted in event-id order, so two engines storing overlapping batches take the event ids' locks
 * in the same order: one waits for the other instead of each waiting for the other (a deadlock,
 * which PostgreSQL ends by failing one of the batches after a second). The database clock is read
 * once (`clock`): a job stored without an event time gets the same moment as its created_at and
 * run_after, not one a millisecond later.
 */
export const PG_ENQUEUE_JOBS = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
                         $8::text[], $9::text[], $10::bigint[], $11::text[])
      WITH ORDINALITY AS u(event_id, type, application_id, entity_type, entity_id, max_attempts, idempotency_key,
                           payload, note_text, occurred_at, destination, ord)),
  numbered AS (
    SELECT u.*, nextval(pg_get_serial_sequence('sync_jobs', 'id')) AS id
      FROM input u
     WHERE NOT EXISTS (SELECT 1 FROM event_tombstones t WHERE t.event_id = u.event_id)
     ORDER BY u.ord),
  clock AS MATERIALIZED (SELECT ${DB_NOW} AS now),
  inserted AS (
    INSERT INTO sync_jobs (id, event_id, type, application_id, entity_type, entity_id, status, max_attempts,
                           idempotency_key, run_after, created_at, updated_at, occurred_at, destination)
    OVERRIDING SYSTEM VALUE
    SELECT n.id, n.event_id, n.type, n.application_id, n.entity_type, n.entity_id, 'pending', n.max_attempts,
           n.idempotency_key, c.now, c.now, c.now, coalesce(n.occurred_at, c.now), n.destination
      FROM numbered n CROSS JOIN clock c
     ORDER BY n.event_id
    ON CONFLICT (event_id) DO NOTHING
    RETURNING id, event_id),
  bodies AS (
    INSERT INTO sync_job_bodies (job_id, payload, note_text)
    SELECT i.id, u.payload, u.note_text FROM inserted i JOIN input u ON u.event_id = i.event_id)
  SELECT i.id AS inserted_id, coalesce(t.job_id, j.id) AS existing_id
    FROM input u
    LEFT JOIN inserted i ON i.event_id = u.event_id
    LEFT JOIN event_tombstones t ON t.event_id = u.event_id
    LEFT JOIN sync_jobs j ON j.event_id = u.event_id
   ORDER BY u.ord`;

/** Event ids whose conflicting row the batch statement could not see: committed while it waited. */
export const PG_JOBS_OF_EVENTS = 'SELECT id, event_id FROM sync_jobs WHERE event_id = ANY($1::text[])';

/** enqueueJobs on the team database: one transaction, the batch in one statement. */
export async function pgEnqueueJobs(db: TeamDatabase, jobs: readonly NewJob[]): Promise<EnqueuedJob[]> {
  if (jobs.length === 0) return [];
  // The first job of each event id is stored; a later one in the batch is its duplicate.
  const firstOf = new Map<string, number>();
  const unique: NewJob[] = [];
  const slots = jobs.map((job) => {
    let slot = firstOf.get(job.eventId);
    if (slot === undefined) {
      slot = unique.push(job) - 1;
      firstOf.set(job.eventId, slot);
    }
    return slot;
  });
  const column = <T>(pick: (job: NewJob) => T): T[] => unique.map(pick);
  const answers = await db.transaction(async (client) => {
    const { rows } = await client.query<{ inserted_id: string | null; existing_id: string | null }>(PG_ENQUEUE_JOBS, [
      column((job) => job.eventId),
      column((job) => job.type),
      column((job) => job.applicationId),
      column((job) => job.entityType),
      column((job) => job.entityId),
      column((job) => job.maxAttempts),
      column((job) => job.idempotencyKey),
      column((job) => job.payload),
      column((job) => job.noteText),
      column((job) => job.occurredAt ?? null),
      column((job) => job.destination ?? null),
    ]);
    if (rows.length !== unique.length)
      throw new Error(`enqueue answered ${rows.length} rows for ${unique.length} jobs`);
    const late = unique.filter((_, i) => !rows[i]!.inserted_id && !rows[i]!.existing_id).map((job) => job.eventId);
    const committedMeanwhile = new Map<string, string>();
    if (late.length > 0) {
      const found = await client.query<{ id: string; event_id: string }>(PG_JOBS_OF_EVENTS, [late]);
      for (const row of found.rows) committedMeanwhile.set(row.event_id, row.id);
    }
    const stored = unique.map((job, i): EnqueuedJob => {
      const row = rows[i]!;
      if (row.inserted_id) return { eventId: job.eventId, jobId: Number(row.inserted_id), duplicate: false };
      const existing = row.existing_id ?? committedMeanwhile.get(job.eventId);
      if (!existing) throw new Error(`event ${job.eventId} conflicted but no job holds it`);
      return { eventId: job.eventId, jobId: Number(existing), duplicate: true };
    });
    if (stored.some((result) => !result.duplicate)) await notifyJobsDue(client);
    return stored;
  });
  const answered = new Set<number>();
  return slots.map((slot) => {
    const answer = answers[slot]!;
    if (answered.has(slot)) return { ...answer, duplicate: true };
    answered.add(slot);
    return answer;
  });
}
