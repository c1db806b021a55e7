import { useEffect, useRef } from 'react';
import { errorMessage } from '../../api/console-api-error';
import { JobStatusBadge } from '../../components/JobStatusBadge';
import { useJob } from '../../hooks/use-jobs';
import { useNow } from '../../hooks/use-now';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';
import type { RequestJobAction } from './job-action-request';
import { canCancel, canRetry } from './job-eligibility';
import { JobAttempts } from './JobAttempts';
import { JobDetailFacts } from './JobDetailFacts';
import { JobActivity } from './JobActivity';
import { Skeleton } from '../../components/Skeleton';

interface JobDetailPanelProps {
  id: number;
  onClose: () => void;
  onAction: RequestJobAction;
}

/** Everything about one job: what it writes, where it stands, and every try it made. */
export function JobDetailPanel({ id, onClose, onAction }: JobDetailPanelProps) {
  const query = useJob(id);
  const now = useNow();
  const readOnly = useReadOnly();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [id]);

  const job = query.data;
  return (
    <aside
      className="detail-panel"
      aria-labelledby="job-detail-title"
      data-testid="job-detail"
      data-job-id={id}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <header className="detail-header">
        <h2 id="job-detail-title" ref={headingRef} tabIndex={-1}>
          Job #{id}
        </h2>
        {job ? <JobStatusBadge status={job.status} /> : null}
        <button type="button" className="button small ghost" onClick={onClose} aria-label="Close job details">
          ×
        </button>
      </header>
      {query.isError ? (
        <div className="card-error" role="alert">
          <p>
            Could not load job #{id}: {errorMessage(query.error)}
          </p>
        </div>
      ) : null}
      {!job && !query.isError ? <Skeleton lines={8} /> : null}
      {job ? (
        <div className="detail-body">
          {canRetry(job, now) || canCancel(job) ? (
            <div className="button-row">
              {canRetry(job, now) ? (
                <button
                  type="button"
                  className="button primary small"
                  {...readOnlyButton(readOnly)}
                  onClick={() => onAction({ kind: 'retry', job })}
                >
                  Retry this job
                </button>
              ) : null}
              {canCancel(job) ? (
                <button
                  type="button"
                  className="button small danger-outline"
                  {...readOnlyButton(readOnly)}
                  onClick={() => onAction({ kind: 'cancel', job })}
                >
                  Cancel this job
                </button>
              ) : null}
            </div>
          ) : null}
          {job.lastError ? (
            <div className="detail-error" role="note">
              <strong>Last error</strong>
              <p className="error-text wrap">{job.lastError}</p>
            </div>
          ) : null}
          <h3>Note</h3>
          <blockquote className="note-text" data-testid="job-note">
            {job.noteText}
          </blockquote>
          <JobDetailFacts job={job} />
          <h3>Attempts</h3>
          <JobAttempts history={job.history} />
          <h3>Actions on this job</h3>
          <JobActivity jobId={id} />
          <details className="event-json">
            <summary>Event as received</summary>
            <pre>{JSON.stringify(job.event, null, 2)}</pre>
          </details>
        </div>
      ) : null}
    </aside>
  );
}
