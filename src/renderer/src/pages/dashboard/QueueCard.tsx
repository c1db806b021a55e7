import { Card } from '../../components/Card';
import { MetricTile } from '../../components/MetricTile';
import { QueryState } from '../../components/QueryState';
import { formatCount } from '../../format/numbers';
import { routeHref } from '../../hooks/use-hash-route';
import { useSnapshot } from '../../hooks/use-ops';

export function QueueCard() {
  const query = useSnapshot();
  return (
    <Card title="Sync queue" className="span-5" testId="queue-card" aside={<a href={routeHref('jobs')}>View queue</a>}>
      <QueryState query={query} skeletonLines={4}>
        {({ syncJobs }) => (
          <>
            <div className="metric-grid">
              <MetricTile
                label="Pending"
                value={formatCount(syncJobs.pending)}
                rawValue={syncJobs.pending}
                testId="queue-pending"
                hint="waiting to be written"
              />
              <MetricTile
                label="Processing"
                value={formatCount(syncJobs.processing)}
                rawValue={syncJobs.processing}
                testId="queue-processing"
                hint="being written now"
              />
              <MetricTile
                label="Completed"
                value={formatCount(syncJobs.completedLast24h)}
                rawValue={syncJobs.completedLast24h}
                testId="queue-completed"
                hint="last 24 hours"
              />
              <MetricTile
                label="Failed"
                value={formatCount(syncJobs.failedLast24h)}
                rawValue={syncJobs.failedLast24h}
                testId="queue-failed"
                hint="last 24 hours"
                tone={syncJobs.failedLast24h > 0 ? 'bad' : undefined}
              />
            </div>
            <p className="card-footnote">
              {syncJobs.failed > 0 ? (
                <>
                  {formatCount(syncJobs.failed)} {syncJobs.failed === 1 ? 'job is' : 'jobs are'} failed in total and
                  need a decision. <a href={routeHref('jobs', { query: { status: 'failed' } })}>Review them</a>
                </>
              ) : (
                'No failed jobs waiting for a decision.'
              )}
            </p>
            {syncJobs.inDoubt > 0 ? (
              <p className="card-footnote" data-testid="queue-in-doubt">
                {formatCount(syncJobs.inDoubt)} {syncJobs.inDoubt === 1 ? 'job is' : 'jobs are'} in doubt: the last
                write went unanswered, so iCIMS is checked before the note is sent again.
              </p>
            ) : null}
          </>
        )}
      </QueryState>
    </Card>
  );
}
