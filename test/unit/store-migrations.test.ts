import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { jobDetailSchema } from '../../src/shared/jobs';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { openDatabase } from '../../src/main/engine/sync/database';
import type { Database } from '../../src/main/engine/sync/database';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { countFinishedLast24h, countJobs } from '../../src/main/engine/sync/job-counts';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { listJobs } from '../../src/main/engine/sync/list-jobs';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/engine/sync/migrations';
import { tempDir } from '../helpers/temp-db';

/*
 * A console upgraded in place opens the database an older version wrote. These build that file
 * with the older steps only, fill it the way the older console did, and check that after the
 * upgrade every job, every try and every count reads as before — and that new work adds up.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 30);

/** A database as the console at schema `version` left it. */
function databaseAtVersion(file: string, version: number): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  for (const step of MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec(step.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      step.version,
      step.name,
      0,
    );
  }
  db.pragma(`user_version = ${version}`);
  return db;
}

/**
 * Jobs as the schema-1 console stored them: every try (successes included) a job_attempts row,
 * every completion counted in its minute.
 */
function fillAsSchemaOne(db: BetterSqlite3.Database): void {
  const insertJob = db.prepare(
    `INSERT INTO sync_jobs (id, type, event_id, application_id, entity_id, entity_type, status, attempts, max_attempts, initial_failed,
                            last_error, payload, note_text, idempotency_key, run_after, created_at, updated_at, completed_at)
     VALUES (?, 'booked', ?, 'APP-1', 'e', 'booking', ?, ?, 5, ?, ?, '{"eventId":"x"}', 'note', ?, ?, ?, ?, ?)`,
  );
  const attempt = db.prepare(
    'INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const minute = db.prepare(
    'INSERT INTO job_completion_minutes (minute, completed) VALUES (?, 1) ON CONFLICT (minute) DO UPDATE SET completed = completed + 1',
  );
  const completed = (id: number, at: number) => {
    insertJob.run(id, `evt-${id}`, 'completed', 0, 0, null, `key-${id}`, at - 100, at - 100, at, at);
    attempt.run(id, at - 90, 'initial', 'success', 201, 90, null);
    minute.run(Math.floor(at / MIN) * MIN);
  };
  completed(1, NOW - 30 * HOUR); // outside the last 24 h
  completed(2, NOW - 2 * HOUR);
  completed(3, NOW - 20 * MIN);
  // Completed at the second try.
  insertJob.run(
    4,
    'evt-4',
    'completed',
    0,
    1,
    null,
    'key-4',
    NOW - 10 * MIN,
    NOW - 10 * MIN,
    NOW - 5 * MIN,
    NOW - 5 * MIN,
  );
  attempt.run(4, NOW - 10 * MIN, 'initial', 'retryable_failure', 503, 40, 'HTTP 503');
  attempt.run(4, NOW - 5 * MIN - 50, 'retry 1', 'success', 201, 50, null);
  minute.run(Math.floor((NOW - 5 * MIN) / MIN) * MIN);
  insertJob.run(5, 'evt-5', 'failed', 0, 0, 'HTTP 404', 'key-5', NOW - HOUR, NOW - HOUR, NOW - HOUR, null);
  attempt.run(5, NOW - HOUR, 'initial', 'permanent_failure', 404, 30, 'HTTP 404');
  insertJob.run(6, 'evt-6', 'cancelled', 0, 0, null, 'key-6', NOW - HOUR, NOW - HOUR, NOW - HOUR, null);
  insertJob.run(7, 'evt-7', 'pending', 0, 0, null, 'key-7', NOW, NOW, NOW, null);
}

const historyOf = (db: Database, id: number) => jobDetailSchema.parse(getJobDetail(db, id)).history;

function upgradedFromSchemaOne(): Database {
  const file = join(tempDir(), 'console.db');
  const old = databaseAtVersion(file, 1);
  fillAsSchemaOne(old);
  old.close();
  const db = openDatabase(file);
  return db;
}

describe('upgrading a schema-1 database', () => {
  it('takes every step, keeps every job and try, and reads the same history and counts', () => {
    const db = upgradedFromSchemaOne();
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
        MIGRATIONS.map((m) => m.version),
      );
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);

      expect(historyOf(db, 2)).toEqual([
        {
          at: new Date(NOW - 2 * HOUR - 90).toISOString(),
          label: 'initial',
          outcome: 'success',
          statusCode: 201,
          latencyMs: 90,
          error: null,
        },
      ]);
      expect(historyOf(db, 4).map((h) => [h.label, h.outcome, h.statusCode])).toEqual([
        ['initial', 'retryable_failure', 503],
        ['retry 1', 'success', 201],
      ]);
      expect(historyOf(db, 5).map((h) => h.outcome)).toEqual(['permanent_failure']);
      expect(countJobs(db)).toEqual({ pending: 1, processing: 0, completed: 4, failed: 1, cancelled: 1, held: 0 });
      expect(countJobs(db, { applicationId: 'APP-1' })).toEqual({
        pending: 1,
        processing: 0,
        completed: 4,
        failed: 1,
        cancelled: 1,
        held: 0,
      });
      expect(countFinishedLast24h(db, NOW)).toEqual({ completedLast24h: 3, failedLast24h: 1 });
      expect(listJobs(db, { status: 'completed' }).jobs.map((j) => j.id)).toEqual([4, 3, 2, 1]);
    } finally {
      db.close();
    }
  });

  it('new work after the upgrade adds to the old figures and histories read alike', () => {
    const db = upgradedFromSchemaOne();
    try {
      const [added] = enqueueJobs(
        db,
        [
          {
            eventId: 'evt-new',
            type: 'booked',
            // Another application: an APP-1 job would wait behind the old pending one (event order).
            applicationId: 'APP-NEW',
            entityType: 'booking',
            entityId: 'e',
            payload: '{}',
            noteText: 'n',
            idempotencyKey: 'k',
            maxAttempts: 5,
            runAfter: NOW,
          },
        ],
        NOW,
      );
      const claimed = claimJobs(db, { owner: 'w', leaseMs: MIN, now: NOW, limit: 5 });
      expect(claimed.map((j) => j.id).sort((a, b) => a - b)).toEqual([7, added!.jobId]);
      for (const job of claimed) {
        completeJob(db, {
          jobId: job.id,
          owner: 'w',
          now: NOW + 20,
          attempt: { at: NOW, label: 'initial', outcome: 'success', statusCode: 201, latencyMs: 20, error: null },
        });
      }
      const success = {
        at: new Date(NOW).toISOString(),
        label: 'initial',
        outcome: 'success',
        statusCode: 201,
        latencyMs: 20,
        error: null,
      };
      expect(historyOf(db, 7)).toEqual([success]);
      expect(historyOf(db, added!.jobId)).toEqual([success]);
      expect(countJobs(db)).toEqual({ pending: 0, processing: 0, completed: 6, failed: 1, cancelled: 1, held: 0 });
      expect(countFinishedLast24h(db, NOW + HOUR)).toEqual({ completedLast24h: 5, failedLast24h: 1 });
      expect(listJobs(db, { status: 'completed', limit: 3 }).jobs.map((j) => j.id)).toEqual([added!.jobId, 7, 4]);
    } finally {
      db.close();
    }
  });
});

const indexesOf = (db: Database) =>
  db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sync_jobs' ORDER BY name",
    )
    .all();

describe('the rebuilt jobs table (step 3)', () => {
  it('keeps the status rule: an unknown status is refused, on a new database and an upgraded one', () => {
    const fresh = openDatabase(join(tempDir(), 'console.db'));
    const upgraded = upgradedFromSchemaOne();
    try {
      enqueueJobs(
        fresh,
        [
          {
            eventId: 'e',
            type: 'booked',
            applicationId: 'A',
            entityType: 'booking',
            entityId: 'e',
            payload: '{}',
            noteText: 'n',
            idempotencyKey: 'k',
            maxAttempts: 5,
            runAfter: NOW,
          },
        ],
        NOW,
      );
      for (const db of [fresh, upgraded]) {
        expect(() => db.prepare("UPDATE sync_jobs SET status = 'done' WHERE id = 1").run()).toThrow(
          /CHECK constraint failed/,
        );
        expect(() => db.prepare("UPDATE sync_jobs SET status = 'Completed' WHERE id = 1").run()).toThrow(
          /CHECK constraint failed/,
        );
        for (const status of ['pending', 'processing', 'completed', 'failed', 'cancelled']) {
          expect(db.prepare('UPDATE sync_jobs SET status = ? WHERE id = 1').run(status).changes).toBe(1);
        }
      }
    } finally {
      fresh.close();
      upgraded.close();
    }
  });

  it('has the same indexes on a new database and an upgraded one, and foreign keys still hold', () => {
    const fresh = openDatabase(join(tempDir(), 'console.db'));
    const upgraded = upgradedFromSchemaOne();
    try {
      expect(indexesOf(upgraded)).toEqual(indexesOf(fresh));
      expect(indexesOf(fresh).map((i) => i.name)).toEqual([
        'sqlite_autoindex_sync_jobs_1',
        'sync_jobs_application',
        'sync_jobs_completed_at',
        'sync_jobs_due',
        'sync_jobs_failed_at',
        'sync_jobs_in_doubt',
        'sync_jobs_status',
      ]);
      // Dropping the old table did not cascade: every try of schema 1 is still there.
      expect(upgraded.prepare('SELECT count(*) FROM job_attempts').pluck().get()).toBe(6);
      expect(() =>
        upgraded
          .prepare("INSERT INTO job_attempts (job_id, at, label, outcome) VALUES (999, 0, 'initial', 'success')")
          .run(),
      ).toThrow(/FOREIGN KEY/);
      // A duplicate event id is still refused by the unique index.
      expect(() => upgraded.prepare("UPDATE sync_jobs SET event_id = 'evt-1' WHERE id = 2").run()).toThrow(/UNIQUE/);
    } finally {
      fresh.close();
      upgraded.close();
    }
  });

  it('carries a success kept on the row (step 2) through the rebuild', () => {
    const file = join(tempDir(), 'console.db');
    const old = databaseAtVersion(file, 2);
    old
      .prepare(
        `INSERT INTO sync_jobs (id, type, event_id, application_id, entity_id, entity_type, status, max_attempts, payload, note_text,
                                idempotency_key, run_after, created_at, updated_at, completed_at, success_at, success_label, success_status_code, success_latency_ms)
         VALUES (1, 'booked', 'evt-1', 'APP-1', 'e', 'booking', 'completed', 5, '{}', 'note', 'key-1', ?, ?, ?, ?, ?, 'initial', 201, 12)`,
      )
      .run(NOW - 100, NOW - 100, NOW, NOW, NOW - 12);
    old.close();
    const db = openDatabase(file);
    try {
      expect(historyOf(db, 1)).toEqual([
        {
          at: new Date(NOW - 12).toISOString(),
          label: 'initial',
          outcome: 'success',
          statusCode: 201,
          latencyMs: 12,
          error: null,
        },
      ]);
    } finally {
      db.close();
    }
  });
});
