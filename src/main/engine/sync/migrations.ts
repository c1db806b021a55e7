/**
 * Numbered schema steps. A database records the steps it has taken in `PRAGMA user_version` (the
 * authority, read before anything is written) and in `schema_migrations` (the history, for people).
 * Steps are only ever appended: an edited step would leave databases that ran the old text behind.
 *
 * Times are epoch milliseconds (INTEGER). Job ids are INTEGER primary keys: newest first is
 * `id DESC`, and keyset paging on id stays fast however many rows there are.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sync jobs, attempts, api calls with per-minute rollup, settings',
    sql: `
      CREATE TABLE sync_jobs (
        id INTEGER PRIMARY KEY,
        -- The event type (link_created, booked, rescheduled, cancelled).
        type TEXT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        application_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
        -- Retries spent; the initial write is not one (docs/INTERFACES.md §6).
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        -- 1 once the initial write has failed retryably: the next try is a retry.
        initial_failed INTEGER NOT NULL DEFAULT 0,
        -- How often someone pressed Retry on the failed job (labels the next try "manual retry").
        manual_retries INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        -- The validated event as JSON.
        payload TEXT NOT NULL,
        note_text TEXT NOT NULL,
        -- Fixed when the job is stored, reused by every retry (docs/INTERFACES.md §5).
        idempotency_key TEXT NOT NULL,
        run_after INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER
      );
      -- Claim: due pending jobs in order.
      CREATE INDEX sync_jobs_due ON sync_jobs (run_after, id) WHERE status = 'pending';
      -- Jobs screen filtered by status, newest first; counts per status; expired leases (the
      -- processing range is at most a few batches long, so it needs no index of its own).
      CREATE INDEX sync_jobs_status ON sync_jobs (status, id);
      -- Jobs screen searched by application id, newest first.
      CREATE INDEX sync_jobs_application ON sync_jobs (application_id, id);
      -- The partial minutes at the edge of completedLast24h; failedLast24h. A failed job's
      -- updated_at is when it failed: it stays put until Retry or Cancel moves it out of this index.
      CREATE INDEX sync_jobs_completed_at ON sync_jobs (completed_at) WHERE status = 'completed';
      CREATE INDEX sync_jobs_failed_at ON sync_jobs (updated_at) WHERE status = 'failed';

      -- Completions per minute, written with each completion, so completedLast24h reads at most
      -- 1,441 small rows instead of counting every job completed in the last day.
      CREATE TABLE job_completion_minutes (
        minute INTEGER PRIMARY KEY,
        completed INTEGER NOT NULL
      );

      CREATE TABLE job_attempts (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        label TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status_code INTEGER,
        latency_ms INTEGER,
        error TEXT
      );
      CREATE INDEX job_attempts_job ON job_attempts (job_id, id);

      CREATE TABLE api_calls (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        operation TEXT NOT NULL,
        status_code INTEGER,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
        -- How the call counts for health: 0 success, 1 failure, 2 rate limited, 3 data error
        -- (see ops/call-classification.ts).
        kind INTEGER NOT NULL,
        latency_ms INTEGER NOT NULL,
        rate_limited INTEGER NOT NULL,
        error_code TEXT,
        error_message TEXT,
        application_id TEXT,
        job_id INTEGER
      );
      -- The partial minute at the start of a window, pruning, the n-th call of the day.
      CREATE INDEX api_calls_at ON api_calls (at, kind);
      -- Last successful / failed call and the recent failures list.
      CREATE INDEX api_calls_outcome ON api_calls (outcome, at);

      -- One row per minute with calls, kept in step with api_calls by ApiCallRepository, so
      -- 24 h metrics and the latency chart read at most 1,440 rows per day.
      CREATE TABLE api_call_minutes (
        minute INTEGER PRIMARY KEY,
        calls INTEGER NOT NULL,
        successes INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        health_failures INTEGER NOT NULL,
        rate_limited INTEGER NOT NULL,
        data_errors INTEGER NOT NULL,
        latency_sum INTEGER NOT NULL,
        -- When the minute's first health failure / rate-limit hit happened (alert "since").
        first_health_failure_at INTEGER,
        first_rate_limited_at INTEGER,
        -- Sparse latency histogram (see ops/latency-histogram.ts).
        histogram BLOB NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'successful try kept on the job row',
    // A successful try is the last one a job gets, so the completed row can hold it: a job written
    // at the first try then needs no job_attempts row (and no FK lookup, index entry or page for
    // it). The job detail shows it after the rows in job_attempts, exactly as if it were the newest
    // of them. Jobs completed before this step keep their success in job_attempts and leave these
    // NULL. See complete-job.ts and record-attempt.ts for the one case that moves it back.
    sql: `
      ALTER TABLE sync_jobs ADD COLUMN success_at INTEGER;
      ALTER TABLE sync_jobs ADD COLUMN success_label TEXT;
      ALTER TABLE sync_jobs ADD COLUMN success_status_code INTEGER;
      ALTER TABLE sync_jobs ADD COLUMN success_latency_ms INTEGER;
    `,
  },
  {
    version: 3,
    name: 'sync jobs rebuilt with a status check that needs no temporary table',
    // Step 1 wrote the status check as `status IN (five values)`. SQLite evaluates a CHECK with an
    // IN list of more than two constants by building a temporary b-tree of the values — for every
    // row written: each insert, each claim and each completion paid for creating, filling and
    // dropping one (about a sixth of the queue's SQL time). The same rule written with `=` and `OR`
    // is five comparisons. SQLite cannot change a CHECK in place, so the table is rebuilt the way
    // its documentation prescribes (new table, copy, drop, rename, indexes again), with foreign
    // keys off for the step (database.ts) so dropping the old table cannot cascade into
    // job_attempts. Columns, their order, ids, rows and index definitions are those of steps 1–2.
    sql: `
      CREATE TABLE sync_jobs_rebuilt (
        id INTEGER PRIMARY KEY,
        -- The event type (link_created, booked, rescheduled, cancelled).
        type TEXT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        application_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        -- Written with = and OR, not IN: see the comment on this step.
        status TEXT NOT NULL
          CHECK (status = 'pending' OR status = 'processing' OR status = 'completed' OR status = 'failed' OR status = 'cancelled'),
        -- Retries spent; the initial write is not one (docs/INTERFACES.md §6).
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        -- 1 once the initial write has failed retryably: the next try is a retry.
        initial_failed INTEGER NOT NULL DEFAULT 0,
        -- How often someone pressed Retry on the failed job (labels the next try "manual retry").
        manual_retries INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        -- The validated event as JSON.
        payload TEXT NOT NULL,
        note_text TEXT NOT NULL,
        -- Fixed when the job is stored, reused by every retry (docs/INTERFACES.md §5).
        idempotency_key TEXT NOT NULL,
        run_after INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER,
        -- The successful try of a completed job (step 2).
        success_at INTEGER,
        success_label TEXT,
        success_status_code INTEGER,
        success_latency_ms INTEGER
      );
      INSERT INTO sync_jobs_rebuilt
        SELECT id, type, event_id, application_id, entity_id, entity_type, status, attempts, max_attempts, initial_failed,
               manual_retries, last_error, payload, note_text, idempotency_key, run_after, lease_owner, lease_expires_at,
               created_at, updated_at, completed_at, success_at, success_label, success_status_code, success_latency_ms
          FROM sync_jobs ORDER BY id;
      DROP TABLE sync_jobs;
      ALTER TABLE sync_jobs_rebuilt RENAME TO sync_jobs;
      CREATE INDEX sync_jobs_due ON sync_jobs (run_after, id) WHERE status = 'pending';
      CREATE INDEX sync_jobs_status ON sync_jobs (status, id);
      CREATE INDEX sync_jobs_application ON sync_jobs (application_id, id);
      CREATE INDEX sync_jobs_completed_at ON sync_jobs (completed_at) WHERE status = 'completed';
      CREATE INDEX sync_jobs_failed_at ON sync_jobs (updated_at) WHERE status = 'failed';
    `,
  },
  {
    version: 4,
    name: 'in-doubt writes, the iCIMS note id, and notes in event order per application',
    // docs/INTERFACES.md §6. `in_doubt` is 1 while the last write may have reached iCIMS without
    // an answer (a timeout, a 5xx, a crash or lease expiry mid-call): the next try reads the
    // application's notes back before it writes. `first_write_at` is when the job was first taken
    // up to write (the read-back ignores notes older than it minus 5 minutes). `occurred_at` orders
    // an application's notes by the event's time; jobs stored before this step take it from their
    // payload. The partial indexes stay small: only open jobs, only in-doubt jobs.
    sql: `
      ALTER TABLE sync_jobs ADD COLUMN occurred_at INTEGER NOT NULL DEFAULT 0;
      UPDATE sync_jobs SET occurred_at = coalesce(
        CASE WHEN json_valid(payload)
             THEN CAST(round((julianday(json_extract(payload, '$.occurredAt')) - 2440587.5) * 86400000) AS INTEGER)
        END,
        created_at);
      ALTER TABLE sync_jobs ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sync_jobs ADD COLUMN first_write_at INTEGER;
      ALTER TABLE sync_jobs ADD COLUMN icims_note_id TEXT;
      UPDATE sync_jobs SET in_doubt = 1, first_write_at = updated_at WHERE status = 'processing';
      CREATE INDEX sync_jobs_open_by_application ON sync_jobs (application_id, occurred_at, id)
        WHERE status = 'pending' OR status = 'processing';
      CREATE INDEX sync_jobs_in_doubt ON sync_jobs (id) WHERE in_doubt = 1;
      -- Read-backs in the last 24 h without scanning every call: only read-backs are in it.
      CREATE INDEX api_calls_read_backs ON api_calls (at) WHERE operation = 'readNotes';
    `,
  },
  {
    version: 5,
    name: 'browser sessions, stored hashed',
    sql: `
      CREATE TABLE console_sessions (
        -- SHA-256 of the session token: a copy of the database signs nobody in.
        token_hash TEXT PRIMARY KEY,
        -- What the audit trail shows, e.g. "Firefox on Linux, signed in 2026-12-02 17:40 UTC".
        label TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        -- The absolute end; the idle end is last_seen_at + the idle lifetime.
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
    `,
  },
  {
    version: 6,
    name: 'sync jobs bound to their destination, with the held status',
    // A job is written only to the iCIMS it was made for (docs/INTERFACES.md §6): `destination`
    // names it (see sync/destination.ts), and `held` is a job of another destination set aside
    // until the console points there again. SQLite cannot change a CHECK in place, so the table is
    // rebuilt as step 3 did (with step 4's columns and indexes) (foreign keys off for the step, so job_attempts keeps its rows). Rows
    // from before this step get NULL: the engine gives them the destination in effect at its next
    // start (they were made for whatever the console pointed at then).
    sql: `
      CREATE TABLE sync_jobs_rebuilt (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        application_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        -- Written with = and OR, not IN: see step 3.
        status TEXT NOT NULL
          CHECK (status = 'pending' OR status = 'processing' OR status = 'completed' OR status = 'failed'
                 OR status = 'cancelled' OR status = 'held'),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        initial_failed INTEGER NOT NULL DEFAULT 0,
        manual_retries INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        payload TEXT NOT NULL,
        note_text TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        run_after INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER,
        success_at INTEGER,
        success_label TEXT,
        success_status_code INTEGER,
        success_latency_ms INTEGER,
        -- Step 4: order per application, in-doubt writes, the iCIMS note id.
        occurred_at INTEGER NOT NULL DEFAULT 0,
        in_doubt INTEGER NOT NULL DEFAULT 0,
        first_write_at INTEGER,
        icims_note_id TEXT,
        -- Where the note may be written (sync/destination.ts); NULL only until the next start.
        destination TEXT
      );
      INSERT INTO sync_jobs_rebuilt
        SELECT id, type, event_id, application_id, entity_id, entity_type, status, attempts, max_attempts, initial_failed,
               manual_retries, last_error, payload, note_text, idempotency_key, run_after, lease_owner, lease_expires_at,
               created_at, updated_at, completed_at, success_at, success_label, success_status_code, success_latency_ms,
               occurred_at, in_doubt, first_write_at, icims_note_id, NULL
          FROM sync_jobs ORDER BY id;
      DROP TABLE sync_jobs;
      ALTER TABLE sync_jobs_rebuilt RENAME TO sync_jobs;
      CREATE INDEX sync_jobs_due ON sync_jobs (run_after, id) WHERE status = 'pending';
      CREATE INDEX sync_jobs_status ON sync_jobs (status, id);
      CREATE INDEX sync_jobs_application ON sync_jobs (application_id, id);
      CREATE INDEX sync_jobs_completed_at ON sync_jobs (completed_at) WHERE status = 'completed';
      CREATE INDEX sync_jobs_failed_at ON sync_jobs (updated_at) WHERE status = 'failed';
      CREATE INDEX sync_jobs_open_by_application ON sync_jobs (application_id, occurred_at, id)
        WHERE status = 'pending' OR status = 'processing';
      CREATE INDEX sync_jobs_in_doubt ON sync_jobs (id) WHERE in_doubt = 1;
    `,
  },
  {
    version: 7,
    name: "audit trail of people's actions; issues with their history",
    sql: `
      -- Who did what, when, to which job, and how it ended. Never a secret value: settings
      -- changes list field names only.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_label TEXT NOT NULL,
        action TEXT NOT NULL,
        job_id INTEGER,
        detail TEXT,
        result TEXT NOT NULL CHECK (result = 'ok' OR result = 'error'),
        error TEXT
      );
      -- The job detail's own actions, newest first.
      CREATE INDEX audit_log_job ON audit_log (job_id, id) WHERE job_id IS NOT NULL;

      -- A problem from its first sighting until it clears or someone resolves it. One row that is
      -- not resolved per key at a time; a problem that comes back after resolving is a new row.
      CREATE TABLE issues (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        title TEXT NOT NULL,
        detail TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state = 'open' OR state = 'snoozed' OR state = 'resolved'),
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        count INTEGER NOT NULL,
        snoozed_until INTEGER,
        resolved_at INTEGER,
        resolved_by TEXT
      );
      CREATE UNIQUE INDEX issues_live_key ON issues (key) WHERE state <> 'resolved';
      CREATE INDEX issues_recent ON issues (last_seen);

      CREATE TABLE issue_events (
        id INTEGER PRIMARY KEY,
        issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        actor_label TEXT,
        detail TEXT
      );
      CREATE INDEX issue_events_issue ON issue_events (issue_id, id);
    `,
  },
  {
    version: 8,
    name: 'event order per application kept by a pointer to the job before, not by an index of open jobs',
    // Step 4's index of open jobs per application cost a quarter of the queue's time: every
    // enqueue, claim and completion moved an entry in it, keyed by application, so each touched
    // a page of its own. Now a job records at enqueue the open job it follows (`after_job_id`, the
    // last open job of its application in event order; NULL when none was open) and may be claimed
    // once that job is no longer pending or processing: a rowid read, no index to keep. The pointer
    // is exact while the application's open jobs only grow at the end and leave by being claimed
    // and settled. Anything else (an event older than an open job of its application, a retry or
    // release that reopens a job, a pending job cancelled or held) sets `order_check` on the
    // application's open jobs, which are then checked the full way (claim-jobs.ts, order-check.ts).
    // (A trigger doing that on every status change cost more than the index: its mere presence
    // made every claim and completion load the old row.) Jobs open when this step runs are
    // checked the full way.
    sql: `
      ALTER TABLE sync_jobs ADD COLUMN after_job_id INTEGER;
      ALTER TABLE sync_jobs ADD COLUMN order_check INTEGER NOT NULL DEFAULT 0;
      UPDATE sync_jobs SET order_check = 1 WHERE status = 'pending' OR status = 'processing';
      DROP INDEX sync_jobs_open_by_application;
    `,
  },
  {
    version: 9,
    name: 'tombstones of pruned jobs, so a re-sent event id stays a duplicate',
    // Retention (prune-jobs.ts) deletes completed and cancelled jobs after 30 days, payload and
    // note text with them. Each leaves its event id here with the job id it had, and
    // enqueue-jobs.ts answers a re-sent event id from this table as a duplicate of that job, so
    // the event can never become a second note. WITHOUT ROWID: the table is its primary key, one
    // b-tree for enqueue's lookup. `pruned_at` ages tombstones out after 400 days.
    sql: `
      CREATE TABLE event_tombstones (
        event_id TEXT PRIMARY KEY,
        job_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        pruned_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX event_tombstones_pruned_at ON event_tombstones (pruned_at);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
