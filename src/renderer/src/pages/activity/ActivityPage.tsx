import { errorMessage } from '../../api/console-api-error';
import { Card } from '../../components/Card';
import { Skeleton } from '../../components/Skeleton';
import { useAuditTrail } from '../../hooks/use-issues';
import { AuditList } from './AuditList';

/** Who did what: every action a person took, newest first. */
export function ActivityPage() {
  const query = useAuditTrail();
  const entries = query.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <>
      <h1 className="page-title">Activity</h1>
      <Card title="Actions people took" testId="activity" className="span-12">
        <p className="muted small">
          Retries, cancels, pauses, breaker resets, settings changes (field names only, never secret values), connection
          tests, issue actions, sign-ins and sign-outs — from this app, signed-in browsers and API scripts.
        </p>
        {query.isError ? (
          <div className="card-error" role="alert">
            <p>Could not load the activity: {errorMessage(query.error)}</p>
          </div>
        ) : null}
        {query.isPending ? <Skeleton lines={6} /> : null}
        {query.data && entries.length === 0 ? <p className="empty-state">Nobody has done anything yet.</p> : null}
        {entries.length > 0 ? <AuditList entries={entries} /> : null}
        {query.hasNextPage ? (
          <button
            type="button"
            className="button small"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? 'Loading…' : 'Load older'}
          </button>
        ) : null}
      </Card>
    </>
  );
}
