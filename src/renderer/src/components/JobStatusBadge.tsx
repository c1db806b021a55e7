import type { JobStatus } from '../../../shared/jobs';

const LABELS: Record<JobStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  // Made for another iCIMS than the one the console points at now.
  held: 'Held',
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <span className={`badge job-${status}`}>{LABELS[status]}</span>;
}

export function jobStatusLabel(status: JobStatus): string {
  return LABELS[status];
}
