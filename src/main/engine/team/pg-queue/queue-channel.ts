/**
 * NOTIFY channel for "work is due now": sent in the same transaction as an enqueue, a release or
 * a retry, so a listening engine claims within moments instead of at its next poll. Polling
 * (SYNC_POLL_INTERVAL_MS) stays the backstop: a notification is lost while a listener reconnects.
 */
export const JOBS_DUE_CHANNEL = 'sync_jobs_due';

/** Database time, read once per statement: an InitPlan the planner can use as an index bound. */
export const DB_NOW = '(SELECT team_now_ms())';
