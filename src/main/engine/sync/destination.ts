/**
 * The destination switch, SQLite and PostgreSQL side by side: which iCIMS a job is made for
 * (destinationOf), pointing the queue at one (pointQueueAt: jobs without a destination adopt it,
 * pending and failed jobs of any other become `held`, held jobs of this one become pending and due
 * now, in one transaction so no worker claims from half a switch), and holding one job whose try
 * came back after a switch (holdJobElsewhere). Completed and cancelled jobs keep their status; a
 * processing job is held by its worker when its try comes back.
 *
 * What differs: SQLite takes `now` from the engine, spells "is (not) distinct" as IS / IS NOT, and
 * re-checks the order of the touched applications' open jobs (order-check.ts); PostgreSQL uses the
 * database clock, IS [NOT] DISTINCT FROM, clears the lease token, wakes the engines when held
 * jobs were released, and leaves the jobs of a destination another active engine sends to.
 */
import type { Database } from 'better-sqlite3';
import { MOCK_DESTINATION } from '../../../shared/jobs';
import type { IcimsConfig } from '../config/engine-config';
import type { TeamDatabase } from '../team/pg-connection';
import { DEFAULT_LOST_AFTER_MS } from '../team/node-registry';
import { DB_NOW, notifyJobsDue } from '../team/pg-queue/queue-channel';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';

/**
 * The iCIMS a job is made for: mode, base URL and account, as one readable string that is both the
 * stored key and what the Jobs screen shows ("made for …"). It never holds a secret.
 *
 * The account is what names it without a secret: the customer id, the OAuth client id or the Basic
 * username. A rotated API key or client secret is the same account, so rotating one holds nothing.
 * `https://api.icims.com` with an API key and no customer id is one destination whichever key is
 * used: a key alone cannot be told apart without storing something derived from it.
 */
export function destinationOf(icims: Pick<IcimsConfig, 'mode' | 'baseUrl' | 'auth' | 'customerId'>): string {
  if (icims.mode === 'mock') return MOCK_DESTINATION;
  const parts = [normaliseBaseUrl(icims.baseUrl)];
  if (icims.customerId) parts.push(`customer ${icims.customerId}`);
  if (icims.auth.method === 'oauth' && icims.auth.clientId) parts.push(`OAuth client ${icims.auth.clientId}`);
  if (icims.auth.method === 'basic' && icims.auth.username) parts.push(`user ${icims.auth.username}`);
  return parts.join(' · ');
}

function normaliseBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.replace(/\/+$/, '');
  }
}

const SQLITE_ADOPT_DESTINATION = 'UPDATE sync_jobs SET destination = ? WHERE destination IS NULL';
export const PG_ADOPT_DESTINATION = 'UPDATE sync_jobs SET destination = $1 WHERE destination IS NULL';

// Each SQLite statement returns the applications it touched: holding a pending job or releasing a
// held one changes their open jobs other than at the end (order-check.ts).
const SQLITE_HOLD_ELSEWHERE = `UPDATE sync_jobs SET status = 'held', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE (status = 'pending' OR status = 'failed') AND destination IS NOT ?
        RETURNING application_id`;

// The team's engines may send to different iCIMS (an engine's environment can name its own):
// a job is held only when no active sending engine names its destination (team/node-registry.ts).
export const PG_HOLD_ELSEWHERE = `
  UPDATE sync_jobs j
     SET status = 'held', updated_at = ${DB_NOW}, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
   WHERE (j.status = 'pending' OR j.status = 'failed') AND j.destination IS DISTINCT FROM $1
     AND NOT EXISTS (SELECT 1 FROM team_nodes n
                      WHERE n.worker AND n.destination = j.destination
                        AND n.last_seen_at >= ${DB_NOW} - ${DEFAULT_LOST_AFTER_MS}::bigint)`;

const SQLITE_RELEASE_HELD = `UPDATE sync_jobs SET status = 'pending', run_after = ?, updated_at = ?
        WHERE status = 'held' AND destination IS ?
        RETURNING application_id`;

export const PG_RELEASE_HELD = `
  UPDATE sync_jobs SET status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW}
   WHERE status = 'held' AND destination IS NOT DISTINCT FROM $1`;

const SQLITE_HOLD_JOB_ELSEWHERE = `UPDATE sync_jobs SET status = 'held', updated_at = ?
        WHERE id = ? AND (status = 'pending' OR status = 'failed') AND destination IS NOT ?
        RETURNING application_id`;

export const PG_HOLD_JOB_ELSEWHERE = `
  UPDATE sync_jobs SET status = 'held', updated_at = ${DB_NOW}
   WHERE id = $1 AND (status = 'pending' OR status = 'failed') AND destination IS DISTINCT FROM $2`;

const statements = perDatabase((db) => ({
  adopt: db.prepare<[string]>(SQLITE_ADOPT_DESTINATION),
  hold: db.prepare<[number, string], string>(SQLITE_HOLD_ELSEWHERE).pluck(),
  release: db.prepare<[number, number, string], string>(SQLITE_RELEASE_HELD).pluck(),
  holdOne: db.prepare<[number, number, string | null], string>(SQLITE_HOLD_JOB_ELSEWHERE).pluck(),
}));

/** One job whose try came back after the switch joins the held jobs of its destination. */
export function holdJobElsewhere(db: Database, jobId: number, destination: string | null, now: number): void {
  db.transaction(() => {
    const applicationId = statements(db).holdOne.get(now, jobId, destination);
    if (applicationId !== undefined) checkOrderOf(db, [applicationId]);
  })();
}

/**
 * holdJobElsewhere on the team database: a completed, cancelled or re-claimed job is left alone.
 * Returns whether the job was held.
 */
export async function pgHoldJobElsewhere(
  db: TeamDatabase,
  jobId: number,
  destination: string | null,
): Promise<boolean> {
  const rows = await db.query(`${PG_HOLD_JOB_ELSEWHERE} RETURNING id`, [jobId, destination]);
  return rows.length === 1;
}

export interface DestinationSwitch {
  held: number;
  released: number;
}

/**
 * The console now points at `destination`: pending and failed jobs of any other become `held`,
 * and held jobs of this one become pending and due now. Rows without a destination (made before
 * jobs recorded one) are given this one first. One transaction: the worker never sees half of it.
 */
export function pointQueueAt(db: Database, destination: string, now: number): DestinationSwitch {
  const s = statements(db);
  return db
    .transaction(() => {
      s.adopt.run(destination);
      const held = s.hold.all(now, destination);
      const released = s.release.all(now, now, destination);
      checkOrderOf(db, [...held, ...released]);
      return { held: held.length, released: released.length };
    })
    .immediate();
}

/**
 * pointQueueAt on the team database: due now on the database clock, the engines woken. A job of
 * another destination is held only when no active engine sends to it: the team's engines share one
 * queue, and one whose environment names another iCIMS sends that one's jobs.
 */
export function pgPointQueueAt(db: TeamDatabase, destination: string): Promise<DestinationSwitch> {
  return db.transaction(async (client) => {
    await client.query(PG_ADOPT_DESTINATION, [destination]);
    const held = (await client.query(PG_HOLD_ELSEWHERE, [destination])).rowCount ?? 0;
    const released = (await client.query(PG_RELEASE_HELD, [destination])).rowCount ?? 0;
    if (released > 0) await notifyJobsDue(client);
    return { held, released };
  });
}
