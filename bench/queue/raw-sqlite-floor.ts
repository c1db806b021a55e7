import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../src/main/engine/sync/database';
import { benchDir } from '../temp-dir';
import { jobBatches, queueRun, stopwatch } from './noop-jobs';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import type { QueueRun } from './noop-jobs';

/*
 * The floor: raw better-sqlite3 running the engine's own SQL (copied here on purpose, so an
 * engine change cannot make its floor easier) on the engine's schema, in a tight loop with no
 * worker, no objects per job and no promises. The engine cannot beat this; the question is how
 * much of it the engine keeps.
 */

const INSERT = `INSERT INTO sync_jobs (event_id, type, application_id, entity_type, entity_id, status, max_attempts,
                        payload, note_text, idempotency_key, run_after, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)
 ON CONFLICT (event_id) DO NOTHING`;
const CLAIM = `UPDATE sync_jobs
    SET status = 'processing', lease_owner = ?, lease_expires_at = ?, updated_at = ?
  WHERE id IN (SELECT id FROM sync_jobs INDEXED BY sync_jobs_due
                WHERE status = 'pending' AND run_after <= ?
                ORDER BY run_after, id
                LIMIT ?)
  RETURNING id, event_id, type, application_id, note_text, idempotency_key, attempts, max_attempts,
            initial_failed, manual_retries, run_after, lease_expires_at`;
// The successful try goes onto the completed row (no job_attempts row), as the engine stores it.
const COMPLETE = `UPDATE sync_jobs
    SET status = 'completed', completed_at = ?, updated_at = ?, last_error = NULL, lease_owner = NULL, lease_expires_at = NULL,
        success_at = ?, success_label = ?, success_status_code = ?, success_latency_ms = ?
  WHERE id = ? AND status = 'processing' AND lease_owner = ?`;
const MINUTE = `INSERT INTO job_completion_minutes (minute, completed) VALUES (?, ?)
 ON CONFLICT (minute) DO UPDATE SET completed = completed + excluded.completed`;

/** Raw mode, as the engine reads it: the RETURNING columns as an array, the id first. */
type ClaimedRow = [id: number, ...rest: unknown[]];

export interface FloorOptions {
  jobs: number;
  enqueueBatch: number;
  /** Jobs per claim and per completing transaction; 1 = one job per statement, autocommit. */
  batch: number;
}

export function rawSqliteFloor(options: FloorOptions): QueueRun {
  const temp = benchDir('floor');
  const db = openDatabase(join(temp.dir, 'console.db'));
  const owner = `bench:${process.pid}`;
  try {
    const insert = db.prepare(INSERT);
    const claim = db.prepare<[string, number, number, number, number], ClaimedRow>(CLAIM).raw(true);
    const complete = db.prepare(COMPLETE);
    const minute = db.prepare(MINUTE);
    const insertOne = (j: NewJob, now: number) =>
      insert.run(
        j.eventId,
        j.type,
        j.applicationId,
        j.entityType,
        j.entityId,
        j.maxAttempts,
        j.payload,
        j.noteText,
        j.idempotencyKey,
        j.runAfter,
        now,
        now,
      );
    const completeOne = (id: number, now: number) => complete.run(now, now, now, 'initial', 201, 0, id, owner).changes;

    const enqueue = stopwatch();
    const insertMany = db.transaction((slice: NewJob[], now: number) => {
      for (const job of slice) insertOne(job, now);
    });
    for (const slice of jobBatches(options.jobs, options.enqueueBatch, Date.now())) {
      if (options.batch === 1) enqueue.time(() => slice.forEach((job) => insertOne(job, Date.now())));
      else enqueue.time(() => insertMany.immediate(slice, Date.now()));
    }
    const t1 = performance.now();

    let done = 0;
    if (options.batch === 1) {
      for (;;) {
        const now = Date.now();
        const row = claim.get(owner, now + 120_000, now, now, 1);
        if (!row) break;
        done += completeOne(row[0], now);
        minute.run(Math.floor(now / 60_000) * 60_000, 1);
      }
    } else {
      const claimMany = db.transaction((now: number) => claim.all(owner, now + 120_000, now, now, options.batch));
      const completeMany = db.transaction((rows: ClaimedRow[], now: number) => {
        let n = 0;
        for (const row of rows) n += completeOne(row[0], now);
        minute.run(Math.floor(now / 60_000) * 60_000, n);
        return n;
      });
      for (;;) {
        const now = Date.now();
        const rows = claimMany.immediate(now);
        if (rows.length === 0) break;
        done += completeMany.immediate(rows, now);
      }
    }
    const t2 = performance.now();
    if (done !== options.jobs) throw new Error(`floor completed ${done} of ${options.jobs}`);
    return queueRun(options.jobs, enqueue.ms, t2 - t1, { batch: options.batch });
  } finally {
    db.close();
    temp.remove();
  }
}

/**
 * A bare queue table (id, status, due time, payload) claimed and completed 100 at a time: what
 * SQLite does with no history, no counters and no secondary indexes — the ceiling for any
 * SQLite queue on this disk, for reference.
 */
export function minimalSqliteFloor(options: FloorOptions): QueueRun {
  const temp = benchDir('floor-min');
  const db: Database = new BetterSqlite3(join(temp.dir, 'queue.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE q (id INTEGER PRIMARY KEY, status INTEGER NOT NULL, run_after INTEGER NOT NULL, payload TEXT NOT NULL);
             CREATE INDEX q_due ON q (run_after, id) WHERE status = 0;`);
    const insert = db.prepare('INSERT INTO q (status, run_after, payload) VALUES (0, ?, ?)');
    const claim = db.prepare<[number, number], { id: number }>(
      'UPDATE q SET status = 1 WHERE id IN (SELECT id FROM q WHERE status = 0 AND run_after <= ? ORDER BY run_after, id LIMIT ?) RETURNING id',
    );
    const complete = db.prepare('UPDATE q SET status = 2 WHERE id = ? AND status = 1');
    const enqueue = stopwatch();
    const insertMany = db.transaction((slice: NewJob[], now: number) => {
      for (const job of slice) insert.run(now, job.payload);
    });
    for (const slice of jobBatches(options.jobs, options.enqueueBatch, Date.now()))
      enqueue.time(() => insertMany.immediate(slice, Date.now()));
    const t1 = performance.now();
    const claimMany = db.transaction((now: number) => claim.all(now, options.batch));
    const completeMany = db.transaction((rows: { id: number }[]) => {
      let n = 0;
      for (const row of rows) n += complete.run(row.id).changes;
      return n;
    });
    let done = 0;
    for (;;) {
      const rows = claimMany.immediate(Date.now());
      if (rows.length === 0) break;
      done += completeMany.immediate(rows);
    }
    const t2 = performance.now();
    if (done !== options.jobs) throw new Error(`minimal floor completed ${done} of ${options.jobs}`);
    return queueRun(options.jobs, enqueue.ms, t2 - t1, { batch: options.batch });
  } finally {
    db.close();
    temp.remove();
  }
}
