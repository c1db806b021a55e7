import type { JobCounts, JobStatus } from '../../../../shared/jobs';
import { JOB_STATUSES } from '../../../../shared/jobs';
import { jobStatusLabel } from '../../components/JobStatusBadge';
import { formatCount } from '../../format/numbers';

interface StatusFilterProps {
  value: JobStatus | undefined;
  counts: JobCounts | undefined;
  onChange: (status: JobStatus | undefined) => void;
}

function total(counts: JobCounts): number {
  return JOB_STATUSES.reduce((sum, status) => sum + counts[status], 0);
}

export function StatusFilter({ value, counts, onChange }: StatusFilterProps) {
  const options: { status: JobStatus | undefined; label: string; count: number | undefined }[] = [
    { status: undefined, label: 'All', count: counts ? total(counts) : undefined },
    ...JOB_STATUSES.map((status) => ({ status, label: jobStatusLabel(status), count: counts?.[status] })),
  ];
  return (
    <div className="segmented" role="group" aria-label="Filter by status">
      {options.map((option) => (
        <button
          key={option.label}
          type="button"
          className={`segment ${option.status ? `seg-${option.status}` : ''}`}
          aria-pressed={value === option.status}
          data-testid={`status-filter-${option.status ?? 'all'}`}
          onClick={() => onChange(option.status)}
        >
          {option.label}
          <span
            className={`segment-count ${option.count ? 'nonzero' : ''}`}
            data-testid={`count-${option.status ?? 'all'}`}
          >
            {option.count === undefined ? '…' : formatCount(option.count)}
          </span>
        </button>
      ))}
    </div>
  );
}
