import type { JobSummary } from '../../../../shared/jobs';
import { useNow } from '../../hooks/use-now';
import type { RequestJobAction } from './job-action-request';
import { JobRow } from './JobRow';

interface JobsTableProps {
  jobs: JobSummary[];
  selectedId: number | null;
  hrefFor: (id: number) => string;
  onOpen: (id: number) => void;
  onAction: RequestJobAction;
}

export function JobsTable({ jobs, selectedId, hrefFor, onOpen, onAction }: JobsTableProps) {
  const now = useNow();
  return (
    <div className="table-scroll">
      <table className="jobs-table">
        <caption className="visually-hidden">Sync jobs, newest first</caption>
        <thead>
          <tr>
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
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
