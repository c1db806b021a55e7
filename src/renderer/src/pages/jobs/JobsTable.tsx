import type { JobSummary } from '../../../../shared/jobs';
import { useNow } from '../../hooks/use-now';
import { useReadOnly } from '../../hooks/use-read-only';
import type { RequestJobAction } from './job-action-request';
import { JobRow } from './JobRow';

interface JobsTableProps {
  jobs: JobSummary[];
  selectedId: number | null;
  hrefFor: (id: number) => string;
  onOpen: (id: number) => void;
  onAction: RequestJobAction;
  /** Row selection for actions on many jobs at once (ids of the checked rows). */
  checked: ReadonlySet<number>;
  onCheck: (ids: number[], on: boolean) => void;
}

export function JobsTable({ jobs, selectedId, hrefFor, onOpen, onAction, checked, onCheck }: JobsTableProps) {
  const now = useNow();
  const readOnly = useReadOnly();
  return (
    <div className="table-scroll">
      <table className="jobs-table">
        <caption className="visually-hidden">Sync jobs, newest first</caption>
        <thead>
          <tr>
            <th scope="col" className="col-check">
              <input
                type="checkbox"
                aria-label="Select every job on this page"
                checked={jobs.length > 0 && jobs.every((job) => checked.has(job.id))}
                onChange={(event) =>
                  onCheck(
                    jobs.map((job) => job.id),
                    event.target.checked,
                  )
                }
              />
            </th>
            <th scope="col" className="col-id">
              Job
            </th>
            <th scope="col" className="col-app">
              Application
            </th>
            <th scope="col" className="col-type">
              Event
            </th>
            <th scope="col" className="col-status">
              Status
            </th>
            <th scope="col" className="col-attempts num">
              Retries
            </th>
            <th scope="col" className="col-when">
              When
            </th>
            <th scope="col" className="col-error">
              Last error
            </th>
            <th scope="col" className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              now={now}
              selected={job.id === selectedId}
              detailHref={hrefFor(job.id)}
              onOpen={() => onOpen(job.id)}
              onAction={onAction}
              readOnly={readOnly}
              checked={checked.has(job.id)}
              onCheck={(on) => onCheck([job.id], on)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
