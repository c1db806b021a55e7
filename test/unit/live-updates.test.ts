import { describe, expect, it } from 'vitest';
import { CONSOLE_METHODS } from '../../src/shared/console-api';
import type { Change, LiveQuery } from '../../src/shared/live-updates';
import { queriesStaleAfter, TOPIC_BY_QUERY, TOPICS_BY_CHANGE } from '../../src/shared/live-updates';
import { invalidateChange, invalidateTopic, queryKeys } from '../../src/renderer/src/api/query-keys';

/** One cached query per method the renderer reads, keyed as the hooks key them. */
const cachedKeys = [
  queryKeys.snapshot(),
  queryKeys.latencySeries(24),
  queryKeys.issues(),
  queryKeys.audit({ jobId: 7 }),
  queryKeys.jobs({ limit: 50, status: 'failed' }),
  queryKeys.jobCounts({}),
  queryKeys.failureGroups(),
  queryKeys.timeline('APP-1'),
  queryKeys.job(7),
  queryKeys.settings(),
  queryKeys.alertSettings(),
  queryKeys.consoleTokens(),
];

/**
 * Records the prefixes invalidated, the way react-query's QueryClient receives them (this file
 * stays free of React types), and says which cached queries they reach: react-query invalidates
 * every query whose key starts with the filter's key.
 */
function recordingClient() {
  const prefixes: (readonly unknown[])[] = [];
  return {
    invalidateQueries(filters: { queryKey: readonly unknown[] }) {
      prefixes.push(filters.queryKey);
      return Promise.resolve();
    },
    staleMethods: () =>
      cachedKeys
        .filter((key) => prefixes.some((prefix) => prefix.every((part, i) => key[i] === part)))
        .map((key) => key[1])
        .sort(),
  };
}

describe('what a change refreshes (src/shared/live-updates.ts)', () => {
  it('a change to jobs refreshes the job list, counts, groups, timeline, job detail and the ops snapshot', () => {
    const stale = queriesStaleAfter('jobs');
    expect(stale).toEqual(
      expect.arrayContaining([
        'listJobs',
        'getJobCounts',
        'listFailureGroups',
        'getApplicationTimeline',
        'getJob',
        'getSnapshot',
      ]),
    );
    expect(stale).not.toContain('getSettings');
  });

  it('saved settings refresh the settings and the snapshot (it shows the mode and base URL), not the jobs', () => {
    const stale = queriesStaleAfter('settings');
    expect(stale).toEqual(expect.arrayContaining(['getSettings', 'getAlertSettings', 'getSnapshot']));
    expect(stale).not.toContain('listJobs');
  });

  it('issues, the audit trail and the circuit refresh the snapshot, issues and audit, nothing of the jobs', () => {
    for (const change of ['alerts', 'audit', 'sync'] as const) {
      const stale = queriesStaleAfter(change);
      expect(stale).toEqual(expect.arrayContaining(['getSnapshot', 'listIssues', 'listAudit']));
      expect(stale).not.toContain('listJobs');
      expect(stale).not.toContain('getSettings');
    }
  });

  it('every change refreshes the snapshot (the dashboard and the tray follow the ops topic)', () => {
    for (const change of Object.keys(TOPICS_BY_CHANGE) as Change[]) expect(TOPICS_BY_CHANGE[change]).toContain('ops');
  });

  it('maps only methods of the ConsoleApi', () => {
    for (const method of Object.keys(TOPIC_BY_QUERY)) expect(CONSOLE_METHODS).toContain(method);
  });
});

describe('renderer invalidation from the shared map', () => {
  it('keys every query under the topic the map gives its method', () => {
    for (const key of cachedKeys) expect(key[0]).toBe(TOPIC_BY_QUERY[key[1] as LiveQuery]);
    expect(new Set(cachedKeys.map((key) => key[1]))).toEqual(new Set(Object.keys(TOPIC_BY_QUERY)));
  });

  it('a mutation refetches exactly what its change makes stale', async () => {
    for (const change of Object.keys(TOPICS_BY_CHANGE) as Change[]) {
      const client = recordingClient();
      await invalidateChange(client, change);
      expect(client.staleMethods()).toEqual([...queriesStaleAfter(change)].sort());
    }
  });

  it('a push of a topic refetches that topic’s queries only', async () => {
    const client = recordingClient();
    await invalidateTopic(client, 'jobs');
    expect(client.staleMethods()).toEqual(
      ['getApplicationTimeline', 'getJob', 'getJobCounts', 'listFailureGroups', 'listJobs'].sort(),
    );
  });
});
