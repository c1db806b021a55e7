import type { JobStatus } from '../../../shared/jobs';
import { TOPIC_BY_QUERY, TOPICS_BY_CHANGE } from '../../../shared/live-updates';
import type { Change, LiveQuery } from '../../../shared/live-updates';
import type { PushTopic } from '../../../shared/transport';
import type { EventType } from '../../../shared/scheduling-event';

/**
 * react-query keys, `[topic, method, params]`. The topic comes from the shared map
 * (src/shared/live-updates.ts), so a push for a topic, or a mutation's change, invalidates every
 * query it makes stale by prefix.
 */
/** The list's filters but the status: what the status tabs count. */
export type JobCountsParams = Omit<JobListParams, 'status' | 'cursor' | 'limit'>;

export interface JobListParams {
  status?: JobStatus;
  applicationId?: string;
  q?: string;
  type?: EventType;
  from?: string;
  to?: string;
  cause?: string;
  cursor?: string;
  limit: number;
}

const key = <M extends LiveQuery>(method: M) => [TOPIC_BY_QUERY[method], method] as const;

export const queryKeys = {
  snapshot: () => key('getSnapshot'),
  latencySeries: (hours: number) => [...key('getLatencySeries'), { hours }] as const,
  jobs: (params: JobListParams) => [...key('listJobs'), params] as const,
  jobCounts: (params: JobCountsParams) => [...key('getJobCounts'), params] as const,
  failureGroups: () => key('listFailureGroups'),
  timeline: (applicationId: string) => [...key('getApplicationTimeline'), { applicationId }] as const,
  job: (id: number) => [...key('getJob'), { id }] as const,
  settings: () => key('getSettings'),
  issues: () => key('listIssues'),
  audit: (params: { jobId?: number | undefined }) => [...key('listAudit'), params] as const,
  alertSettings: () => key('getAlertSettings'),
  consoleTokens: () => key('getConsoleTokens'),
  /** Every query of a topic: the prefix a push for it invalidates. */
  topic: (topic: PushTopic) => [topic] as const,
};

/**
 * What invalidation needs of react-query's QueryClient. Structural, so this file (and the unit
 * test of the shared map that imports it) loads no React types.
 */
export interface QueryInvalidator {
  invalidateQueries(filters: { queryKey: readonly unknown[] }): Promise<void>;
}

/** Refetches what a push says is stale: every query whose key starts with the topic. */
export function invalidateTopic(queryClient: QueryInvalidator, topic: PushTopic): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: queryKeys.topic(topic) });
}

/** Refetches what a change made from this console makes stale (the same topics its push names). */
export async function invalidateChange(queryClient: QueryInvalidator, change: Change): Promise<void> {
  await Promise.all(TOPICS_BY_CHANGE[change].map((topic) => invalidateTopic(queryClient, topic)));
}
