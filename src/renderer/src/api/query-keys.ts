import type { JobStatus } from '../../../shared/jobs';
import type { EventType } from '../../../shared/scheduling-event';

/**
 * react-query keys, `[domain, method, params]`. A push for a topic invalidates its whole domain
 * (`['jobs']`, `['ops']`, `['settings']`), so every key must start with its domain.
 */
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

export const queryKeys = {
  snapshot: () => ['ops', 'getSnapshot'] as const,
  latencySeries: (hours: number) => ['ops', 'getLatencySeries', { hours }] as const,
  jobs: (params: JobListParams) => ['jobs', 'listJobs', params] as const,
  jobCounts: (applicationId: string | undefined) => ['jobs', 'getJobCounts', { applicationId }] as const,
  failureGroups: () => ['jobs', 'listFailureGroups'] as const,
  timeline: (applicationId: string) => ['jobs', 'getApplicationTimeline', { applicationId }] as const,
  job: (id: number) => ['jobs', 'getJob', { id }] as const,
  settings: () => ['settings', 'getSettings'] as const,
  // Issues and the audit trail change with what the ops push announces.
  issues: () => ['ops', 'listIssues'] as const,
  audit: (params: { jobId?: number | undefined }) => ['ops', 'listAudit', params] as const,
  alertSettings: () => ['settings', 'getAlertSettings'] as const,
};
