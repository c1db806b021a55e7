import type { Forecast, OpsSnapshot } from '../../../../shared/ops-snapshot';
import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { formatCount } from '../../format/numbers';
import { useSnapshot } from '../../hooks/use-ops';

/** "16:40 UTC": budgets reset at midnight UTC, so the forecast speaks UTC too. */
function utcClock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

function duration(minutes: number): string {
  if (minutes < 1) return 'under a minute';
  if (minutes < 90) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
  return `about ${Math.round(hours / 24)} days`;
}

function budgetLine({ budget }: Forecast): { text: string; bad: boolean } {
  if (budget.limit > 0 && budget.used >= budget.limit)
    return { text: 'Used up: jobs wait for midnight UTC', bad: true };
  if (budget.runsOutAt) return { text: `Runs out at ${utcClock(budget.runsOutAt)} at this pace`, bad: true };
  if (budget.callsPerHour === 0) return { text: 'No calls in the last hour', bad: false };
  return { text: `Lasts until midnight UTC (about ${formatCount(budget.projectedToday)} calls today)`, bad: false };
}

function backlogLine({ backlog }: Forecast, worker: OpsSnapshot['worker'], team: boolean): string {
  if (backlog.jobs === 0) return 'Nothing waiting';
  const jobs = `${formatCount(backlog.jobs)} ${backlog.jobs === 1 ? 'job' : 'jobs'}`;
  // A drain time would be a promise nobody keeps while nothing sends. In a team the other
  // engines send: this console only knows the queue, not their pace.
  if (worker.state === 'off')
    return team
      ? `${jobs} waiting for the team's engines (this console sends nothing itself)`
      : `${jobs} waiting: this console sends nothing (SYNC_WORKER=off)`;
  if (worker.state === 'paused') return `${jobs} waiting until the worker is resumed`;
  if (backlog.drainMinutes === null) return 'Cannot drain: no calls allowed';
  const until = backlog.drainsAt ? ` (by ${utcClock(backlog.drainsAt)})` : '';
  return `${jobs}: ${duration(backlog.drainMinutes)}${until}${backlog.waitsForBudgetReset ? ', after the budget resets' : ''}`;
}

/** Where today's call budget and the pending backlog are heading at the current pace. */
export function ForecastCard() {
  const query = useSnapshot();
  return (
    <Card title="Forecast" testId="forecast">
      <QueryState query={query} skeletonLines={3}>
        {({ forecast, worker, team }) => {
          const budget = budgetLine(forecast);
          return (
            <dl className="forecast-rows">
              <div>
                <dt>Daily budget ({formatCount(forecast.budget.callsPerHour)} calls in the last hour)</dt>
                <dd className={budget.bad ? 'tone-bad' : ''} data-testid="forecast-budget">
                  {budget.text}
                </dd>
              </div>
              <div>
                <dt>Backlog at {formatCount(forecast.backlog.ratePerMin)} calls/min</dt>
                <dd data-testid="forecast-backlog">{backlogLine(forecast, worker, team !== undefined)}</dd>
              </div>
            </dl>
          );
        }}
      </QueryState>
    </Card>
  );
}
