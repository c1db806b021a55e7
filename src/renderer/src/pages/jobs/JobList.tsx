import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../../shared/jobs';
import { errorMessage } from '../../api/console-api-error';
import { jobStatusLabel } from '../../components/JobStatusBadge';
import { navigate, routeHref } from '../../hooks/use-hash-route';
import { useJobPage } from '../../hooks/use-jobs';
import type { RequestJobAction } from './job-action-request';
import { filterKey, hasSearch, listInput } from './job-filters';
import type { JobFilters } from './job-filters';
import { JobsTable } from './JobsTable';
import { Pager } from './Pager';
import { Skeleton } from '../../components/Skeleton';

const PAGE_SIZE = 50;

function emptyMessage(filters: JobFilters): string {
  const { status, app: applicationId } = filters;
  const what = status ? `${jobStatusLabel(status).toLowerCase()} jobs` : 'jobs';
  if (applicationId) return `No ${what} for application ${applicationId}.`;
  if (hasSearch(filters)) return `No ${what} match this search.`;
  if (status) return `No ${what}.`;
  return 'No jobs yet. Each scheduling event the console receives becomes a job here.';
}

interface JobListProps {
  filters: JobFilters;
  /** The jobs on screen changed (a search that found one application shows its timeline). */
  onPage?: (jobs: JobSummary[]) => void;
  selectedId: number | null;
  hrefFor: (id: number) => string;
  onAction: RequestJobAction;
  checked: ReadonlySet<number>;
  onCheck: (ids: number[], on: boolean) => void;
}

/**
 * One page of the filtered list. The cursor trail belongs to one filter: when the filter changes
 * the trail starts over at the newest page.
 */
export function JobList({ filters, onPage, selectedId, hrefFor, onAction, checked, onCheck }: JobListProps) {
  const key = filterKey(filters);
  // cursors[i] opens page i; page 0 has none (newest first).
  const [trail, setTrail] = useState<{ filterKey: string; cursors: (string | undefined)[] }>({
    filterKey: key,
    cursors: [undefined],
  });
  const cursors = trail.filterKey === key ? trail.cursors : [undefined];
  const setCursors = (next: (string | undefined)[]) => {
    setTrail({ filterKey: key, cursors: next });
    // A new page starts at its top, not where the pager button was.
    window.scrollTo({ top: 0 });
  };
  const pageIndex = cursors.length - 1;
  const query = useJobPage({ ...listInput(filters), cursor: cursors[pageIndex], limit: PAGE_SIZE });
  const page = query.data;
  useEffect(() => {
    if (page && !query.isPlaceholderData) onPage?.(page.jobs);
  }, [page, query.isPlaceholderData, onPage]);

  return (
    <section
      className={`card jobs-card ${query.isPlaceholderData ? 'is-loading' : ''}`}
      aria-label="Job list"
      aria-busy={query.isPlaceholderData}
    >
      {query.isError && !page ? (
        <div className="card-error" role="alert">
          <p>Could not load jobs: {errorMessage(query.error)}</p>
          <button type="button" className="button small" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : null}
      {query.isError && page ? (
        <p className="stale-notice" role="status">
          Showing the last known list — refreshing failed: {errorMessage(query.error)}
        </p>
      ) : null}
      {!page && !query.isError ? <Skeleton lines={10} label="Loading jobs…" /> : null}
      {page && page.jobs.length === 0 ? (
        <p className="empty-state" data-testid="jobs-empty">
          {emptyMessage(filters)}{' '}
          {hasSearch(filters) ? (
            <a href={routeHref('jobs', { query: { status: filters.status } })}>Show all jobs</a>
          ) : null}
        </p>
      ) : null}
      {page && page.jobs.length > 0 ? (
        <JobsTable
          jobs={page.jobs}
          selectedId={selectedId}
          hrefFor={hrefFor}
          onOpen={(id) => navigate(hrefFor(id))}
          onAction={onAction}
          checked={checked}
          onCheck={onCheck}
        />
      ) : null}
      {page && (pageIndex > 0 || page.jobs.length > 0) ? (
        <Pager
          pageIndex={pageIndex}
          pageSize={PAGE_SIZE}
          shown={page.jobs.length}
          hasNext={page.nextCursor !== null}
          busy={query.isPlaceholderData}
          onFirst={() => setCursors([undefined])}
          onPrevious={() => setCursors(cursors.slice(0, -1))}
          onNext={() => {
            const next = page.nextCursor;
            if (next) setCursors([...cursors, next]);
          }}
        />
      ) : null}
    </section>
  );
}
