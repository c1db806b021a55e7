import type { JobSummary } from '../../../../shared/jobs';
import { InDoubtBadge } from '../../components/InDoubtBadge';
import { JobStatusBadge } from '../../components/JobStatusBadge';
import { RelativeTime } from '../../components/RelativeTime';
import { readOnlyButton } from '../../hooks/use-read-only';
import type { RequestJobAction } from './job-action-request';
import { canCancel, canRetry, EVENT_TYPE_LABEL } from './job-eligibility';

interface JobRowProps {
  job: JobSummary;
  now: number;
  selected: boolean;
  detailHref: string;
  onOpen: () => void;
  onAction: RequestJobAction;
  /** Why this console may not retry or cancel (a read-only team console), or null. */
  readOnly: string | null;
  checked: boolean;
  onCheck: (on: boolean) => void;
}

function WhenCell({ job }: { job: JobSummary }) {
  if (job.status === 'pending' && job.runAfter) {
    return (
      <>
        next try <RelativeTime iso={job.runAfter} />
      </>
    );
  }
  if (job.status === 'held')
    return (
      <span className="held-when" title={job.destination ?? undefined}>
        made for another iCIMS
      </span>
    );
  if (job.status === 'pending')
    return (
      <>
        queued <RelativeTime iso={job.createdAt} />
      </>
    );
  return <RelativeTime iso={job.updatedAt} />;
}

export function JobRow({ job, now, selected, detailHref, onOpen, onAction, readOnly, checked, onCheck }: JobRowProps) {
  return (
    <tr
      className={`job-row ${selected ? 'selected' : ''}`}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      onClick={(event) => {
        // Buttons and links in the row do their own thing; a click anywhere else opens the job.
        if (!(event.target as HTMLElement).closest('a, button, input')) onOpen();
      }}
    >
      <td className="col-check">
        <input
          type="checkbox"
          aria-label={`Select job #${job.id}`}
          checked={checked}
          onChange={(event) => onCheck(event.target.checked)}
        />
      </td>
      <td className="col-id">
        <a href={detailHref} aria-current={selected ? 'true' : undefined}>
          #{job.id}
        </a>
      </td>
      <td className="col-app mono">{job.applicationId}</td>
      <td className="col-type">{EVENT_TYPE_LABEL[job.type]}</td>
      <td className="col-status">
        <JobStatusBadge status={job.status} />
        {job.inDoubt ? <InDoubtBadge /> : null}
      </td>
      <td className="col-attempts num">
        {job.attempts} / {job.maxAttempts}
      </td>
      <td className="col-when">
        <WhenCell job={job} />
      </td>
      <td className="col-error">
        {job.lastError ? (
          <span className="error-text" title={job.lastError}>
            {job.lastError}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="col-actions">
        {canRetry(job, now) ? (
          <button
            type="button"
            className="button small"
            {...readOnlyButton(readOnly)}
            onClick={() => onAction({ kind: 'retry', job })}
          >
            Retry
          </button>
        ) : null}
        {canCancel(job) ? (
          <button
            type="button"
            className="button small danger-outline"
            {...readOnlyButton(readOnly)}
            onClick={() => onAction({ kind: 'cancel', job })}
          >
            Cancel
          </button>
        ) : null}
      </td>
    </tr>
  );
}
