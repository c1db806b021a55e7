import { useState } from 'react';
import type { JobStatus } from '../../../../shared/jobs';
import { jobStatusSchema } from '../../../../shared/jobs';
import type { Route } from '../../hooks/use-hash-route';
import { navigate, routeHref } from '../../hooks/use-hash-route';
import { useJobCounts } from '../../hooks/use-jobs';
import type { JobActionRequest } from './job-action-request';
import { FailureGroups } from './FailureGroups';
import { JobActionDialog } from './JobActionDialog';
import { JobDetailPanel } from './JobDetailPanel';
import { JobList } from './JobList';
import { JobSearch } from './JobSearch';
import { RetryAllFailedButton } from './RetryAllFailedButton';
import { StatusFilter } from './StatusFilter';

/** Filters live in the URL (`#/jobs/42?status=failed&app=APP-1`): links and Back work. */
export function JobsPage({ route }: { route: Route }) {
  const parsedStatus = jobStatusSchema.safeParse(route.query.get('status'));
  const status: JobStatus | undefined = parsedStatus.success ? parsedStatus.data : undefined;
  const applicationId = route.query.get('app') || undefined;
  const filters = { status, app: applicationId };
  const [actionRequest, setActionRequest] = useState<JobActionRequest | null>(null);
  const counts = useJobCounts(applicationId);
  const allCounts = useJobCounts(undefined);

  const listHref = (next: { status?: JobStatus; app?: string }) =>
    routeHref('jobs', { query: { status: next.status, app: next.app } });
  const detailHref = (id: number) => routeHref('jobs', { jobId: id, query: filters });

  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Jobs</h1>
        <RetryAllFailedButton failedCount={allCounts.data?.failed} />
      </div>
      <FailureGroups />
      <div className="jobs-toolbar">
        <StatusFilter
          value={status}
          counts={counts.data}
          onChange={(next) => navigate(listHref({ status: next, app: applicationId }))}
        />
        <JobSearch
          key={applicationId ?? ''}
          value={applicationId}
          onSearch={(app) => navigate(listHref({ status, app }))}
        />
      </div>
      <div className={`jobs-layout ${route.jobId ? 'with-panel' : ''}`}>
        <JobList
          status={status}
          applicationId={applicationId}
          selectedId={route.jobId}
          hrefFor={detailHref}
          onAction={setActionRequest}
        />
        {route.jobId ? (
          <JobDetailPanel
            id={route.jobId}
            onClose={() => navigate(listHref({ status, app: applicationId }))}
            onAction={setActionRequest}
          />
        ) : null}
      </div>
      <JobActionDialog request={actionRequest} onClose={() => setActionRequest(null)} />
    </>
  );
}
