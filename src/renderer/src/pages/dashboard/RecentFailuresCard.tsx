import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { RelativeTime } from '../../components/RelativeTime';
import { routeHref } from '../../hooks/use-hash-route';
import { useSnapshot } from '../../hooks/use-ops';
import { groupRecentFailures } from './failure-groups';

const SHOWN = 5;

export function RecentFailuresCard() {
  const query = useSnapshot();
  return (
    <Card
      title="Recent failures"
      className="span-7"
      aside={<a href={routeHref('jobs', { query: { status: 'failed' } })}>View all failed</a>}
    >
      <QueryState query={query} skeletonLines={5}>
        {(snapshot) => {
          const failures = groupRecentFailures(snapshot.recentFailures).slice(0, SHOWN);
          return (
            <>
              <ul className="failures" data-testid="recent-failures">
                {failures.map((failure, index) => (
                  <li key={`${failure.at}-${index}`} className="failure" data-testid="recent-failure">
                    <div className="failure-head">
                      <span className="badge severity-critical">{failure.statusCode ?? 'no response'}</span>
                      <span className="failure-operation">{failure.operation}</span>
                      {failure.count > 1 ? (
                        <span
                          className="badge tone-neutral"
                          title={`${failure.count} failed calls in a row, including the automatic retries`}
                        >
                          ×{failure.count}
                        </span>
                      ) : null}
                      {failure.applicationId ? <span className="muted">{failure.applicationId}</span> : null}
                      {failure.node ? (
                        <span className="muted" data-testid="failure-node" title="The engine that made the call">
                          on {failure.node}
                        </span>
                      ) : null}
                      <span className="failure-time muted">
                        <RelativeTime iso={failure.at} />
                      </span>
                    </div>
                    <p className="failure-error">{failure.error}</p>
                    {failure.jobId !== null ? (
                      <a className="failure-link" href={routeHref('jobs', { jobId: failure.jobId })}>
                        Open job #{failure.jobId}
                      </a>
                    ) : null}
                  </li>
                ))}
              </ul>
              {failures.length === 0 ? <p className="empty-state">No failed calls recently. </p> : null}
            </>
          );
        }}
      </QueryState>
    </Card>
  );
}
