/**
 * NOTIFY channel for "work is due now": sent in the same transaction as an enqueue, a release or
 * a retry, so a listening engine claims within moments instead of at its next poll. Polling
 * (SYNC_POLL_INTERVAL_MS) stays the backstop: a notification is lost while a listener reconnects.
 */
export const JOBS_DUE_CHANNEL = 'sync_jobs_due';

/** Database time, read once per statement: an InitPlan the planner can use as an index bound. */
export const DB_NOW = '(SELECT team_now_ms())';

/** Wakes listening engines; sent inside the transaction, it leaves only on commit. */
export async function notifyJobsDue(client: {
  query(text: string, values: unknown[]): Promise<unknown>;
}): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [JOBS_DUE_CHANNEL, '']);
}
