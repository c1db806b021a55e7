import type { JobSummary } from '../../../../shared/jobs';

/** A Retry or Cancel the user clicked and has not confirmed yet. */
export interface JobActionRequest {
  kind: 'retry' | 'cancel';
  job: Pick<JobSummary, 'id' | 'applicationId' | 'status' | 'type' | 'lastError'>;
}

export type RequestJobAction = (request: JobActionRequest) => void;
