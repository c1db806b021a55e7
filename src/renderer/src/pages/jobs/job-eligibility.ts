import type { JobSummary } from '../../../../shared/jobs';

/**
 * The rules of docs/INTERFACES.md §6: Retry runs a `failed` job, or a `pending` one that is waiting
 * for its backoff, right now; Cancel stops a `pending`, `failed` or `held` job for good (a held
 * job was made for another iCIMS: it cannot be retried here, only cleared). The server
 * re-checks and answers 409 if the job moved on meanwhile.
 */
export function canRetry(job: Pick<JobSummary, 'status' | 'runAfter'>, now: number): boolean {
  if (job.status === 'failed') return true;
  return job.status === 'pending' && job.runAfter !== null && Date.parse(job.runAfter) > now;
}

export function canCancel(job: Pick<JobSummary, 'status'>): boolean {
  return job.status === 'pending' || job.status === 'failed' || job.status === 'held';
}

export const EVENT_TYPE_LABEL: Record<JobSummary['type'], string> = {
  link_created: 'Link sent',
  booked: 'Interview booked',
  rescheduled: 'Interview rescheduled',
  cancelled: 'Interview cancelled',
};
