import { useCallback, useState } from 'react';
import type { JobSummary } from '../../../../shared/jobs';
import type { Route } from '../../hooks/use-hash-route';
import { navigate, routeHref } from '../../hooks/use-hash-route';
import { useJobCounts } from '../../hooks/use-jobs';
import { ApplicationTimeline } from './ApplicationTimeline';
import { ExportCsvButton } from './ExportCsvButton';
import { FailureGroups } from './FailureGroups';
import type { JobActionRequest } from './job-action-request';
import { filterKey, filtersFromQuery, filtersToQuery, hasSearch, searchInput } from './job-filters';
import type { JobFilters } from './job-filters';
import { JobActionDialog } from './JobActionDialog';
import { JobDetailPanel } from './JobDetailPanel';
import { JobList } from './JobList';
import { JobSearch } from './JobSearch';
import { SelectionBar } from './SelectionBar';
import { RetryAllFailedButton } from './RetryAllFailedButton';
import { StatusFilter } from './StatusFilter';

/** The one application a search found, if every job on the page belongs to it. */
function singleApplication(jobs: JobSummary[]): string | null {
  const first = jobs[0]?.applicationId;
  return first !== undefined && jobs.every((job) => job.applicationId === first) ? first : null;
}

/** Filters live in the URL (`#/jobs/42?status=failed&q=71267`): links and Back work. */
export function JobsPage({ route }: { route: Route }) {
  const filters = filtersFromQuery(route.query);
  const [actionRequest, setActionRequest] = useState<JobActionRequest | null>(null);
  const [found, setFound] = useState<string | null>(null);
  // The checked rows belong to one filter: another filter starts with none.
  const [checked, setChecked] = useState<{ key: string; ids: Set<number> }>({ key: '', ids: new Set() });
  const key = filterKey(filters);
  const checkedIds = checked.key === key ? checked.ids : new Set<number>();
  const setCheckedIds = (ids: Set<number>) => setChecked({ key, ids });
  const onCheck = (ids: number[], on: boolean) => {
    const next = new Set(checkedIds);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    setCheckedIds(next);
  };
  // The tabs count what the search finds; Retry all failed speaks of the whole queue.
  const counts = useJobCounts(searchInput(filters));
  const allCounts = useJobCounts({});
  const onPage = useCallback((jobs: JobSummary[]) => setFound(singleApplication(jobs)), []);

  const listHref = (next: JobFilters) => routeHref('jobs', { query: filtersToQuery(next) });
  const detailHref = (id: number) => routeHref('jobs', { jobId: id, query: filtersToQuery(filters) });
  const timelineFor = hasSearch(filters) ? (filters.app ?? found) : null;

  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Jobs</h1>
        <div className="page-actions">
          <ExportCsvButton filters={filters} />
          <RetryAllFailedButton failedCount={allCounts.data?.failed} />
        </div>
      </div>
      <FailureGroups />
      <div className="jobs-toolbar">
        <JobSearch
          key={JSON.stringify([filters.q, filters.type, filters.from, filters.to])}
          value={{ q: filters.q, type: filters.type, from: filters.from, to: filters.to }}
          onSearch={(next) => navigate(listHref({ status: filters.status, cause: filters.cause, ...next }))}
        />
        <StatusFilter
          value={filters.status}
          counts={counts.data}
          onChange={(next) => navigate(listHref({ ...filters, status: next }))}
        />
      </div>
      {filters.cause ? (
        <p className="filter-note">
          Showing the jobs of one cause. <a href={listHref({ ...filters, cause: undefined })}>Show every cause</a>
        </p>
      ) : null}
      {timelineFor ? <ApplicationTimeline applicationId={timelineFor} /> : null}
      <SelectionBar filters={filters} checked={checkedIds} onChange={setCheckedIds} />
      <div className={`jobs-layout ${route.jobId ? 'with-panel' : ''}`}>
        <JobList
          filters={filters}
          onPage={onPage}
          selectedId={route.jobId}
          hrefFor={detailHref}
          onAction={setActionRequest}
          checked={checkedIds}
          onCheck={onCheck}
        />
        {route.jobId ? (
          <JobDetailPanel
            id={route.jobId}
            onClose={() => {
              const id = route.jobId;
              navigate(listHref(filters));
              // Back to the row the panel was opened from, not to the page body.
              requestAnimationFrame(() =>
                document.querySelector<HTMLElement>(`[data-testid="job-row"][data-job-id="${id}"] a`)?.focus(),
              );
            }}
            onAction={setActionRequest}
          />
        ) : null}
      </div>
      <JobActionDialog request={actionRequest} onClose={() => setActionRequest(null)} />
    </>
  );
}
