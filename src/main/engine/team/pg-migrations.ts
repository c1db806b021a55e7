/**
 * The team database's numbered schema steps (PostgreSQL 15+), kept apart from the SQLite list in
 * sync/migrations.ts: the two stores evolve in step but never share SQL text. A database records
 * the steps it has taken in `schema_migrations`; steps are only ever appended.
 *
 * Times are epoch milliseconds (bigint) as in the SQLite store, so rows map to the same shapes,
 * but every time the database writes itself comes from `team_now_ms()`: the database's clock,
 * `clock_timestamp()` rather than the transaction's frozen `now()`, so leases, rate windows and
 * heartbeats mean the same thing whichever machine's engine wrote them.
 *
 * Autovacuum: the rows updated on every claim and completion (sync_jobs) carry no event text —
 * payload and note live in sync_job_bodies, written once — so each update copies a small tuple;
 * the busy tables get a lower vacuum threshold than the 20 % default, and due work is found
 * through a partial index that holds only pending rows.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

const BUSY_TABLE = 'autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02';

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'sync jobs with bodies apart, attempts, api calls with per-minute rollup, settings',
    sql: `
      CREATE FUNCTION team_now_ms() RETURNS bigint LANGUAGE sql VOLATILE
        AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;

      CREATE TABLE sync_jobs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- The event type (link_created, booked, rescheduled, cancelled).
        type text NOT NULL,
        event_id text NOT NULL UNIQUE,
        application_id text NOT NULL,
        entity_id text NOT NULL,
        entity_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
        -- Retries spent; the initial write is not one (docs/INTERFACES.md §6).
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        initial_failed boolean NOT NULL DEFAULT false,
        manual_retries integer NOT NULL DEFAULT 0,
        last_error text,
        -- Fixed when the job is stored, reused by every retry (docs/INTERFACES.md §5).
        idempotency_key text NOT NULL,
        run_after bigint NOT NULL,
        -- The lease: who holds the job, and which claim of theirs. Complete and fail check both,
        -- so an engine whose lease expired and was taken over cannot touch the row again, even
        -- under the same name after a restart.
        lease_owner text,
        lease_token uuid,
        lease_expires_at bigint,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        completed_at bigint,
        success_at bigint,
        success_label text,
        success_status_code integer,
        success_latency_ms integer
      ) WITH (fillfactor = 90, ${BUSY_TABLE});
      CREATE INDEX sync_jobs_due ON sync_jobs (run_after, id) WHERE status = 'pending';
      CREATE INDEX sync_jobs_leases ON sync_jobs (lease_expires_at) WHERE status = 'processing';
      CREATE INDEX sync_jobs_status ON sync_jobs (status, id);
      CREATE INDEX sync_jobs_application ON sync_jobs (application_id, id);
      CREATE INDEX sync_jobs_completed_at ON sync_jobs (completed_at) WHERE status = 'completed';
      CREATE INDEX sync_jobs_failed_at ON sync_jobs (updated_at) WHERE status = 'failed';

      -- Written once at enqueue, read at claim and in the job detail, deleted with the job: the
      -- candidate's name and email live here and nowhere else (see sync/prune-jobs.ts).
      CREATE TABLE sync_job_bodies (
        job_id bigint PRIMARY KEY REFERENCES sync_jobs (id) ON DELETE CASCADE,
        payload text NOT NULL,
        note_text text NOT NULL
      );

      CREATE TABLE job_completion_minutes (
        minute bigint PRIMARY KEY,
        completed integer NOT NULL
      ) WITH (${BUSY_TABLE});

      CREATE TABLE job_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id bigint NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
        at bigint NOT NULL,
        label text NOT NULL,
        outcome text NOT NULL,
        status_code integer,
        latency_ms integer,
        error text
      );
      CREATE INDEX job_attempts_job ON job_attempts (job_id, id);

      CREATE TABLE api_calls (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at bigint NOT NULL,
        -- Which engine made the call (team mode); the SQLite store has one engine.
        node text NOT NULL,
        operation text NOT NULL,
        status_code integer,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        kind integer NOT NULL,
        latency_ms integer NOT NULL,
        rate_limited boolean NOT NULL,
        error_code text,
        error_message text,
        application_id text,
        job_id bigint
      );
      CREATE INDEX api_calls_at ON api_calls (at, kind);
      CREATE INDEX api_calls_outcome ON api_calls (outcome, at);

      CREATE TABLE api_call_minutes (
        minute bigint PRIMARY KEY,
        calls integer NOT NULL,
        successes integer NOT NULL,
        failures integer NOT NULL,
        health_failures integer NOT NULL,
        rate_limited integer NOT NULL,
        data_errors integer NOT NULL,
        latency_sum bigint NOT NULL,
        first_health_failure_at bigint,
        first_rate_limited_at bigint,
        histogram bytea NOT NULL
      ) WITH (${BUSY_TABLE});

      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text,
        updated_at bigint NOT NULL DEFAULT team_now_ms()
      );
    `,
  },
  {
    version: 2,
    name: 'team: rate reservations, daily calls, team state, nodes, sealed secrets, event tombstones',
    sql: `
      -- One row per granted iCIMS call; kept a little over a minute (see team-rate-limiter.ts).
      CREATE TABLE rate_reservations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at bigint NOT NULL,
        node text NOT NULL
      ) WITH (${BUSY_TABLE});
      CREATE INDEX rate_reservations_at ON rate_reservations (at);

      -- Calls per UTC day (the daily budget); one small row per day.
      CREATE TABLE rate_days (
        day date PRIMARY KEY,
        calls integer NOT NULL
      );

      -- Auth pause, 429 hold, breaker, settings version: one row each, every engine follows them.
      CREATE TABLE team_state (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        version bigint NOT NULL DEFAULT 1,
        updated_at bigint NOT NULL DEFAULT team_now_ms(),
        updated_by text
      );

      CREATE TABLE team_nodes (
        name text PRIMARY KEY,
        version text NOT NULL,
        started_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        in_flight integer NOT NULL DEFAULT 0,
        credentials_from text NOT NULL CHECK (credentials_from IN ('environment', 'team')),
        worker boolean NOT NULL
      ) WITH (${BUSY_TABLE});

      -- Secrets and console tokens, sealed with SYNC_TEAM_KEY (team-secret-box.ts); key_id tells
      -- a wrong key from a damaged value without trying to decrypt.
      CREATE TABLE team_secrets (
        name text PRIMARY KEY,
        sealed text NOT NULL,
        key_id text NOT NULL,
        updated_at bigint NOT NULL DEFAULT team_now_ms(),
        updated_by text
      );

      -- What is left of a pruned job: enough to answer a re-sent eventId as a duplicate.
      CREATE TABLE event_tombstones (
        event_id text PRIMARY KEY,
        job_id bigint NOT NULL,
        status text NOT NULL,
        pruned_at bigint NOT NULL
      );
      CREATE INDEX event_tombstones_pruned_at ON event_tombstones (pruned_at);
    `,
  },
  {
    version: 3,
    name: 'in-doubt writes, the iCIMS note id, notes in event order per application, destination-bound jobs',
    // The PostgreSQL side of SQLite step 4 (docs/INTERFACES.md §6): a job whose last write may
    // have reached iCIMS unanswered reads the notes back before it writes again.
    sql: `
      ALTER TABLE sync_jobs ADD COLUMN occurred_at bigint NOT NULL DEFAULT 0;
      ALTER TABLE sync_jobs ADD COLUMN in_doubt boolean NOT NULL DEFAULT false;
      ALTER TABLE sync_jobs ADD COLUMN first_write_at bigint;
      ALTER TABLE sync_jobs ADD COLUMN icims_note_id text;
      -- The iCIMS a job was made for (sync/destination.ts); held jobs wait for it.
      ALTER TABLE sync_jobs ADD COLUMN destination text;
      ALTER TABLE sync_jobs DROP CONSTRAINT IF EXISTS sync_jobs_status_check;
      ALTER TABLE sync_jobs ADD CONSTRAINT sync_jobs_status_check
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled', 'held'));
      CREATE INDEX sync_jobs_open_by_application ON sync_jobs (application_id, occurred_at, id)
        WHERE status = 'pending' OR status = 'processing';
    `,
  },
  {
    version: 4,
    name: "the team's call log: read-backs through a partial index, as in SQLite; the iCIMS each engine sends to",
    // Every engine writes its calls here (team/team-call-log.ts); the Dashboard counts the
    // read-backs of the last 24 hours without walking the day's other calls. Each engine names the
    // iCIMS it sends to (sync/destination.ts), so a destination switch holds only the jobs no
    // active engine can send.
    sql: `
      CREATE INDEX api_calls_read_backs ON api_calls (at) WHERE operation = 'readNotes';
      ALTER TABLE team_nodes ADD COLUMN destination text;
    `,
  },
  {
    version: 5,
    name: 'fewer index entries per claim and completion: status and application indexes only where a reader needs them',
    // A claim and a completion each rewrite the job row with its status changing, so neither can
    // be a HOT update: the new row version gets an entry in every index whose predicate it meets.
    // The full (status, id) and (application_id, id) indexes took two of those on every claim and
    // every completion. What readers need instead (docs/PERFORMANCE.md, "Engine changes made for
    // speed"): a job by status — pending here, processing in sync_jobs_leases, completed in
    // sync_jobs_completed_at, failed in sync_jobs_failed_at, held and cancelled here; a job by
    // application — open ones in sync_jobs_open_by_application, settled ones here (readers ask
    // both, see PG_OF_APPLICATION in sync/list-jobs.ts). A claim now writes no status or
    // application entry, a completion one (settled).
    sql: `
      DROP INDEX sync_jobs_status;
      CREATE INDEX sync_jobs_pending ON sync_jobs (id) WHERE status = 'pending';
      CREATE INDEX sync_jobs_held ON sync_jobs (id) WHERE status = 'held';
      CREATE INDEX sync_jobs_cancelled ON sync_jobs (id) WHERE status = 'cancelled';
      DROP INDEX sync_jobs_application;
      CREATE INDEX sync_jobs_settled_by_application ON sync_jobs (application_id, id)
        WHERE status <> 'pending' AND status <> 'processing';
    `,
  },
  {
    version: 6,
    name: 'jobs in doubt through a partial index, as in SQLite',
    // The ops snapshot counts the jobs in doubt every time a console or monitoring asks
    // (job-counts.ts, PG_QUEUE_COUNTS). Without an index that count read the whole table: ~50 ms
    // at 200,000 stored jobs, most of the snapshot. Few jobs are ever in doubt, so the index
    // stays tiny and a claim or completion of a job not in doubt writes no entry into it.
    sql: `
      CREATE INDEX sync_jobs_in_doubt ON sync_jobs (id) WHERE in_doubt;
    `,
  },
  {
    version: 7,
    name: "the team's audit trail",
    // Every console records what people did (retries, cancels, pauses, settings…) here as well as
    // in its own SQLite file (team/team-audit-trail.ts), so each console's Activity screen and
    // job detail show the whole team's actions, with the engine they were taken on in `node`.
    sql: `
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at bigint NOT NULL,
        node text NOT NULL,
        actor_kind text NOT NULL,
        actor_label text NOT NULL,
        action text NOT NULL,
        job_id bigint,
        detail text,
        result text NOT NULL CHECK (result IN ('ok', 'error')),
        error text
      );
      CREATE INDEX audit_log_job ON audit_log (job_id, id) WHERE job_id IS NOT NULL;
      CREATE INDEX audit_log_at ON audit_log (at);
    `,
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;
