import type { ConsoleMethod } from './console-api';
import type { PushTopic } from './transport';

/**
 * What a change makes stale, decided here and nowhere else (docs/ARCHITECTURE.md, "Live updates").
 *
 * The engine says what it wrote (`PushHub.changed('jobs')`); `TOPICS_BY_CHANGE` turns that into
 * the push topics it sends. Every react-query key starts with the topic of its method
 * (`TOPIC_BY_QUERY`), so the renderer invalidates a pushed topic by prefix, and a mutation
 * invalidates the topics of the change it made, from the same table.
 */

/** What a write touched. */
export type Change =
  /** Jobs and their attempts: ingest, the worker, retry, cancel, a destination switch. */
  | 'jobs'
  /** The saved settings (and the configuration they produce). */
  | 'settings'
  /** Issues (opened, resolved, snoozed) and the alert settings that raise them. */
  | 'alerts'
  /** An audit-trail entry. */
  | 'audit'
  /**
   * In-memory state the snapshot shows: the circuit breaker, the worker's pause (the worker itself
   * reports every change as `jobs`, which makes the same queries stale and more).
   */
  | 'sync';

/**
 * The push topics a change sends. The snapshot counts the queue and shows the configuration, so
 * jobs and settings changes make `ops` stale too.
 */
export const TOPICS_BY_CHANGE: Readonly<Record<Change, readonly PushTopic[]>> = {
  jobs: ['jobs', 'ops'],
  settings: ['settings', 'ops'],
  // The snapshot counts open issues; the issues list and the alert settings form sit under ops
  // and settings, and a save writes its own answer into the cache.
  alerts: ['ops'],
  audit: ['ops'],
  sync: ['ops'],
};

/** The topic each cached query belongs to: the first element of its react-query key. */
export const TOPIC_BY_QUERY = {
  getSnapshot: 'ops',
  getLatencySeries: 'ops',
  listIssues: 'ops',
  listAudit: 'ops',
  listJobs: 'jobs',
  getJobCounts: 'jobs',
  listFailureGroups: 'jobs',
  getApplicationTimeline: 'jobs',
  getJob: 'jobs',
  getSettings: 'settings',
  getAlertSettings: 'settings',
  getConsoleTokens: 'settings',
} as const satisfies Partial<Record<ConsoleMethod, PushTopic>>;

export type LiveQuery = keyof typeof TOPIC_BY_QUERY;

/** The queries a change makes stale (what the renderer refetches after it). */
export function queriesStaleAfter(change: Change): LiveQuery[] {
  const topics = TOPICS_BY_CHANGE[change];
  return (Object.keys(TOPIC_BY_QUERY) as LiveQuery[]).filter((query) => topics.includes(TOPIC_BY_QUERY[query]));
}
