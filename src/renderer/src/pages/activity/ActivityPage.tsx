import { errorMessage } from '../../api/console-api-error';
import { Card } from '../../components/Card';
import { Skeleton } from '../../components/Skeleton';
import { useAuditTrail } from '../../hooks/use-issues';
import { AuditList } from './AuditList';

/** Who did what: every action a person took, newest first. */
export function ActivityPage() {
  const query = useAuditTrail();
  const entries = query.data?.pages.flatMap((page) => page.entries) ?? [];
  const teamUnavailable = query.data?.pages.some((page) => page.teamUnavailable) ?? false;
  const team = entries.some((entry) => entry.node !== undefined);
  return (
    <>
      <h1 className="page-title">Activity</h1>
      <Card title="Actions people took" testId="activity" className="span-12">
        <p className="muted small">
          Retries, cancels, pauses, breaker resets, settings changes (field names only, never secret values), connection
          tests, issue actions, sign-ins and sign-outs — from this app, signed-in browsers and API scripts
          {team ? ', in every console of the team' : ''}.
        </p>
        {teamUnavailable ? (
          <p className="callout warn small" role="status" data-testid="activity-team-unavailable">
            The team database is unreachable: only this console’s own actions are listed until it is back.
          </p>
        ) : null}
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
