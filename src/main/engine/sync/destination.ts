import type { Database } from 'better-sqlite3';
import { MOCK_DESTINATION } from '../../../shared/jobs';
import type { IcimsConfig } from '../config/engine-config';
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

const statements = perDatabase((db) => ({
  adopt: db.prepare<[string]>('UPDATE sync_jobs SET destination = ? WHERE destination IS NULL'),
  // Only work not yet done is set aside: completed and cancelled jobs keep their status, and a
  // processing job is held by the worker when its try comes back (see SyncWorker).
  // Each returns the applications it touched: holding a pending job or releasing a held one
  // changes their open jobs other than at the end (order-check.ts).
  hold: db
    .prepare<[number, string], string>(
      `UPDATE sync_jobs SET status = 'held', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE (status = 'pending' OR status = 'failed') AND destination IS NOT ?
        RETURNING application_id`,
    )
    .pluck(),
  release: db
    .prepare<[number, number, string], string>(
      `UPDATE sync_jobs SET status = 'pending', run_after = ?, updated_at = ?
        WHERE status = 'held' AND destination IS ?
        RETURNING application_id`,
    )
    .pluck(),
  holdOne: db
    .prepare<[number, number, string | null], string>(
      `UPDATE sync_jobs SET status = 'held', updated_at = ?
        WHERE id = ? AND (status = 'pending' OR status = 'failed') AND destination IS NOT ?
        RETURNING application_id`,
    )
    .pluck(),
}));

/** One job whose try came back after the switch joins the held jobs of its destination. */
export function holdJobElsewhere(db: Database, jobId: number, destination: string | null, now: number): void {
  db.transaction(() => {
    const applicationId = statements(db).holdOne.get(now, jobId, destination);
    if (applicationId !== undefined) checkOrderOf(db, [applicationId]);
  })();
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
