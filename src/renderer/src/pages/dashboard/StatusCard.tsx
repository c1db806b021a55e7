import type { HealthStatus, OpsSnapshot } from '../../../../shared/ops-snapshot';
import { QueryState } from '../../components/QueryState';
import { RelativeTime } from '../../components/RelativeTime';
import { formatCount, formatPercent } from '../../format/numbers';
import { useSnapshot } from '../../hooks/use-ops';

const HEADLINES: Record<HealthStatus, { title: string; summary: string; icon: string }> = {
  healthy: { title: 'Healthy', summary: 'Notes are reaching iCIMS.', icon: '✓' },
  degraded: { title: 'Degraded', summary: 'Notes are getting through, but not smoothly.', icon: '!' },
  down: { title: 'Down', summary: 'Notes are not reaching iCIMS. Jobs wait and will be retried.', icon: '✕' },
};

const calls = (n: number) => `${formatCount(n)} ${n === 1 ? 'call' : 'calls'}`;

/**
 * The health success rate leaves out 429s and data errors (404, 400…), so it is not "x % of all
 * calls": the line names the rate and the call count separately, and says when none counted.
 */
function RecentWindow({ recent }: { recent: OpsSnapshot['recent'] }) {
  if (recent.calls === 0) return <>No calls</>;
  const parts = [calls(recent.calls)];
  if (recent.rateLimitHits > 0) parts.push(`${formatCount(recent.rateLimitHits)} rate-limited`);
  parts.unshift(
    recent.successRate === null
      ? 'no success rate (only data errors or 429s)'
      : `${formatPercent(recent.successRate)} success`,
  );
  return <>{parts.join(' · ')}</>;
}

/** The first thing an operator sees: is the sync working, and if not, why. */
export function StatusCard() {
  const query = useSnapshot();
  const status = query.data?.status;
  return (
    <section
      className={`card status-card status-${status ?? 'unknown'}`}
      data-testid="status-card"
      data-status={status}
      aria-labelledby="status-card-title"
    >
      <h2 id="status-card-title" className="visually-hidden">
        Sync health
      </h2>
      <QueryState query={query} skeletonLines={3}>
        {(snapshot) => {
          const headline = HEADLINES[snapshot.status];
          const idle =
            snapshot.status === 'healthy' && snapshot.lastSuccessfulCall === null && snapshot.lastFailedCall === null;
          // Healthy with failures in the window: too few calls for the rate to count (the health
          // rules judge from 5), so "notes are reaching iCIMS" would claim more than is known.
          const unjudged =
            snapshot.status === 'healthy' && snapshot.recent.successRate !== null && snapshot.recent.successRate < 0.95;
          return (
            <div className="status-layout">
              <div className="status-icon" aria-hidden="true">
                {headline.icon}
              </div>
              <div className="status-main">
                <p className="status-title">
                  <span className="visually-hidden">Status: </span>
                  {headline.title}
                </p>
                <p className="status-summary">
                  {idle
                    ? 'No calls to iCIMS yet, so nothing has gone wrong.'
                    : unjudged
                      ? 'Some recent calls failed, but too few calls were made to judge iCIMS’ health yet.'
                      : headline.summary}
                </p>
                {snapshot.statusReasons.length > 0 ? (
                  <ul className="status-reasons" aria-label="Why">
                    {snapshot.statusReasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
              <dl className="status-facts">
                <div>
                  <dt>Last successful call</dt>
                  <dd>
                    <RelativeTime iso={snapshot.lastSuccessfulCall} />
                  </dd>
                </div>
                <div>
                  <dt>Last failed call</dt>
                  <dd>
                    <RelativeTime iso={snapshot.lastFailedCall} />
                  </dd>
                </div>
                <div>
                  <dt>Last {snapshot.recent.windowMinutes} minutes</dt>
                  <dd>
                    <RecentWindow recent={snapshot.recent} />
                  </dd>
                </div>
                <div>
                  <dt>Updated</dt>
                  <dd>
                    <RelativeTime iso={snapshot.generatedAt} />
                  </dd>
                </div>
              </dl>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}
