import type { OpsSnapshot } from '../../../../shared/ops-snapshot';
import { RelativeTime } from '../../components/RelativeTime';
import { formatCount, formatPercent } from '../../format/numbers';

/** Calls used today against the daily limit; amber from 80 % (when the contract alerts), red at 100 %. */
export function DailyBudgetBar({ budget, team = false }: { budget: OpsSnapshot['dailyBudget']; team?: boolean }) {
  const ratio = Math.min(Math.max(budget.usedRatio, 0), 1);
  const tone = budget.usedRatio >= 1 ? 'bad' : budget.usedRatio >= 0.8 ? 'warn' : 'good';
  return (
    <div className="budget" data-testid="daily-budget">
      <div className="budget-header">
        <span id="budget-label">{team ? 'Daily budget used by the team' : 'Daily budget used'}</span>
        <span>
          <strong>{formatCount(budget.used)}</strong> of {formatCount(budget.limit)} calls (
          {formatPercent(budget.usedRatio)})
        </span>
      </div>
      <div
        className={`budget-track tone-${tone}`}
        role="progressbar"
        aria-labelledby="budget-label"
        aria-valuemin={0}
        aria-valuemax={budget.limit}
        aria-valuenow={budget.used}
        aria-valuetext={`${formatCount(budget.used)} of ${formatCount(budget.limit)} calls`}
      >
        <div className="budget-fill" style={{ width: `${ratio * 100}%` }} />
        <div className="budget-mark" style={{ left: '80%' }} title="Alert threshold: 80 %" />
      </div>
      <div className="metric-hint">
        Resets <RelativeTime iso={budget.resetsAt} /> (midnight UTC)
      </div>
    </div>
  );
}
